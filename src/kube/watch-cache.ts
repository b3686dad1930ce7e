// List, then watch from the list's resourceVersion, for one resource (the namespace's pods, or nodes).
// Re-lists on 410 Gone (the server compacted past our version), reconnects with backoff while the API
// is away, and knows whether its copy is fresh: a cache that never synced or lost its watch answers
// "stale" so the probes read unknown, never an old ok or bad.
import type { Clock } from "../ports.js";
import type { KubeClient } from "./client.js";
import { describeKubeError } from "./kube-error.js";
import { openWatchStream, type RawWatchEvent, type WatchStream } from "./watch-stream.js";

export interface WatchCacheOptions {
  client: KubeClient;
  /** "pods" in `namespace`, or the cluster's "nodes". */
  resource: "pods" | "nodes";
  namespace?: string;
  clock: Clock;
  backoff?: { initialMs: number; maxMs: number };
  /** A watch that broke less than this long ago still counts as fresh: a server-side close is normal. */
  graceMs?: number;
  /** The server ends each watch after this long and the cache resumes from its resourceVersion. */
  renewSeconds?: number;
}

/** The cached objects, or why they cannot be trusted. */
export type CacheSnapshot = { fresh: true; items: unknown[] } | { fresh: false; reason: string };

/** A list+watch cache; start() once, read snapshot() any time. */
export interface WatchCache {
  start(): void;
  snapshot(): CacheSnapshot;
  /** Called on every change and every loss or return of the watch. */
  onChange(listener: (why: string) => void): () => void;
  close(): void;
}

/** A cache of `resource`, kept current by a watch. */
export function createWatchCache(options: WatchCacheOptions): WatchCache {
  const { client, resource, clock } = options;
  // Capped at the loop's tick: after an API outage the pod view must not lag the API's return by
  // more than a tick, and a retry against a down API is a refused connection, which costs nothing.
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 5_000 };
  const graceMs = options.graceMs ?? 2_000;
  const path = resource === "pods" ? `/api/v1/namespaces/${options.namespace}/pods` : "/api/v1/nodes";
  const what = resource === "pods" ? `pod list of ${options.namespace}` : "node list";
  const items = new Map<string, unknown>();
  const listeners = new Set<(why: string) => void>();
  let resourceVersion: string | null = null;
  let synced = false;
  let connected = false;
  let disconnectedAt: number | null = null;
  let lastError: string | null = null;
  let delay = backoff.initialMs;
  let stream: WatchStream | null = null;
  let timer: NodeJS.Timeout | null = null;
  let staleTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let started = false;

  const wake = (why: string) => listeners.forEach((listener) => listener(why));
  const keyOf = (o: RawWatchEvent["object"]) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

  const lost = (why: string) => {
    lastError = why;
    if (connected || disconnectedAt === null) disconnectedAt = clock.now();
    // Wake once on the loss and once when the grace runs out and reads turn unknown, not on every retry.
    if (connected) {
      wake(`${what} watch lost: ${why}`);
      staleTimer = setTimeout(() => wake(`${what} is stale: ${lastError ?? why}`), graceMs);
    }
    connected = false;
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, backoff.maxMs);
  };

  const list = async (): Promise<boolean> => {
    try {
      const core = client.connect().core;
      const answer = resource === "pods"
        ? await core.listNamespacedPod({ namespace: options.namespace! }, client.callOptions())
        : await core.listNode({}, client.callOptions());
      if (closed) return false;
      items.clear();
      for (const item of answer.items) items.set(keyOf(item as RawWatchEvent["object"]), item);
      resourceVersion = answer.metadata?.resourceVersion ?? "";
      synced = true;
      delay = backoff.initialMs;
      return true;
    } catch (error) {
      if (!closed) lost(`list failed: ${describeKubeError(error, client.requestTimeoutMs)}`);
      return false;
    }
  };

  const connect = async (): Promise<void> => {
    timer = null;
    if (closed) return;
    if (resourceVersion === null && !(await list())) return;
    let config;
    try {
      config = client.connect().config;
    } catch (error) {
      return lost((error as Error).message);
    }
    const openedAt = clock.now();
    stream = openWatchStream({
      config, path, resourceVersion: resourceVersion!, connectTimeoutMs: client.requestTimeoutMs,
      serverTimeoutSeconds: options.renewSeconds ?? 300,
      onEvent: (event) => onEvent(event),
      onOpen: () => {
        if (staleTimer) clearTimeout(staleTimer);
        if (connected) return;
        connected = true;
        disconnectedAt = null;
        lastError = null;
        wake(`${what} watch connected`);
      },
      onEnd: (error) => {
        stream = null;
        if (closed) return;
        if (error?.code === 410) resourceVersion = null;
        if (error) return lost(error.message);
        // The server said our version expired (an ERROR event with 410, then the end): re-list now.
        if (resourceVersion === null) return void connect();
        // A normal end (timeoutSeconds): resume at once; a stream that ends at once is trouble, back off.
        if (clock.now() - openedAt < 1_000) return lost("watch ended as soon as it began");
        void connect();
      },
    });
  };

  const onEvent = (event: RawWatchEvent) => {
    if (event.type === "ERROR") {
      // 410 Expired inside the stream: the server ends it next; re-list then.
      if (event.object.code === 410) resourceVersion = null;
      lastError = `watch error: ${event.object.message ?? JSON.stringify(event.object)}`;
      return;
    }
    delay = backoff.initialMs;
    if (event.object.metadata?.resourceVersion) resourceVersion = event.object.metadata.resourceVersion;
    if (event.type === "BOOKMARK") return;
    const key = keyOf(event.object);
    if (event.type === "DELETED") items.delete(key);
    else items.set(key, event.object);
    wake(`${resource === "pods" ? "pod" : "node"} ${key.replace(/^\//, "")} ${event.type.toLowerCase()}`);
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      void connect();
    },
    snapshot() {
      if (!synced) return { fresh: false, reason: `${what} not synced yet${lastError ? `: ${lastError}` : ""}` };
      const gone = disconnectedAt === null ? 0 : clock.now() - disconnectedAt;
      if (connected || gone < graceMs) return { fresh: true, items: [...items.values()] };
      // No ticking counter in the reason: the journal records a probe only when its reason changes.
      return { fresh: false, reason: `${what} is stale: watch disconnected since ${new Date(disconnectedAt ?? 0).toISOString()} (${lastError ?? "no error"})` };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (staleTimer) clearTimeout(staleTimer);
      stream?.stop();
      listeners.clear();
    },
  };
}
