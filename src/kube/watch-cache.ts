// List, then watch from the list's resourceVersion, for one resource (the namespace's pods, or nodes).
// Knows whether its copy can be trusted: a cache that never synced, lost its watch, or whose watch
// keeps failing answers "not fresh" with the reason, so the probes read unknown, never an old ok or bad.
// Re-lists (410 Gone, a stream of garbage, the periodic resync) are paced by watch-pacing.ts.
import type { CacheHealth } from "../core/types.js";
import type { Clock } from "../ports.js";
import type { KubeClient } from "./client.js";
import { listInPages } from "./list-pages.js";
import { slimNode, slimPod } from "./slim-objects.js";
import { createWatchPacing } from "./watch-pacing.js";
import { openWatchStream, type RawWatchEvent, type WatchFailure, type WatchStream } from "./watch-stream.js";

export interface WatchCacheOptions {
  client: KubeClient;
  /** "pods" in `namespace`, or the cluster's "nodes". */
  resource: "pods" | "nodes";
  namespace?: string;
  clock: Clock;
  /** Reconnecting while the API is away (connection refused, timeouts). */
  backoff?: { initialMs: number; maxMs: number };
  /** Between re-lists after watches that fail at once (410 Gone, garbage): jittered, growing. */
  relistBackoff?: { initialMs: number; maxMs: number };
  /** Never two lists closer than this, whatever happens. */
  minRelistGapMs?: number;
  /** A watch that broke less than this long ago still counts as fresh: a server-side close is normal. */
  graceMs?: number;
  /** The server ends each watch after this long and the cache resumes from its resourceVersion. */
  renewSeconds?: number;
  /** Nothing heard (no event, no bookmark) this long: list again, so a silent watch is never trusted longer. */
  resyncMs?: number;
  /** Watches failing in a row, each soon after it opened, before the cache stops trusting itself. */
  failuresBeforeUnknown?: number;
  /** Objects per list page. */
  pageSize?: number;
  /** The jitter's source, in [0, 1). */
  random?: () => number;
}

export type { CacheHealth };

/** The cached objects, or why they cannot be trusted. */
export type CacheSnapshot = { fresh: true; items: unknown[]; health: CacheHealth } | { fresh: false; reason: string };

/** A list+watch cache; start() once, read snapshot() any time. */
export interface WatchCache {
  start(): void;
  snapshot(): CacheSnapshot;
  /** Called on every change and every loss or return of the watch. */
  onChange(listener: (why: string) => void): () => void;
  /**
   * How many times onChange has been told so far, or null while the cache is not steady (not synced,
   * its watch not open, or not trusted): a reading taken at the same count, while steady, still stands.
   */
  steadyAt(): number | null;
  close(): void;
}

/** A cache of `resource`, kept current by a watch. */
export function createWatchCache(options: WatchCacheOptions): WatchCache {
  const { client, resource, clock } = options;
  // Capped at the loop's tick: after an API outage the pod view must not lag the API's return by
  // more than a tick, and a retry against a down API is a refused connection, which costs nothing.
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 5_000 };
  const graceMs = options.graceMs ?? 2_000;
  const resyncMs = options.resyncMs ?? 120_000;
  const pacing = createWatchPacing({
    clock,
    relistBackoff: options.relistBackoff ?? { initialMs: 1_000, maxMs: 60_000 },
    minRelistGapMs: options.minRelistGapMs ?? 1_000,
    failuresBeforeUnknown: options.failuresBeforeUnknown ?? 3,
    random: options.random ?? Math.random,
  });
  const path = resource === "pods" ? `/api/v1/namespaces/${options.namespace}/pods` : "/api/v1/nodes";
  const what = resource === "pods" ? `pod list of ${options.namespace}` : "node list";
  const slim = resource === "pods" ? slimPod : slimNode;
  const items = new Map<string, unknown>();
  // The snapshot's array, built again only after a change: an idle tick copies nothing, and the
  // probes can tell "unchanged" by identity.
  let itemsArray: unknown[] | null = null;
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
  let resyncTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let started = false;
  let heardAt = 0;
  let lists = 0;
  let droppedLines = 0;
  // When the current watch opened: one that holds long enough is trusted again after a failing spell.
  let openSince: number | null = null;

  let told = 0;
  const wake = (why: string) => {
    told++;
    listeners.forEach((listener) => listener(why));
  };
  const keyOf = (o: RawWatchEvent["object"]) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void connect(), Math.max(0, ms));
  };
  const heard = () => {
    heardAt = clock.now();
    pacing.worked();
  };

  // The API is away or would not answer: reconnect with back-off, resuming from the same version.
  const lost = (why: string) => {
    lastError = why;
    if (connected || disconnectedAt === null) disconnectedAt = clock.now();
    // Wake once on the loss and once when the grace runs out and reads turn unknown, not on every retry.
    if (connected) {
      wake(`${what} watch lost: ${why}`);
      client.reportTrouble(`${what} watch lost: ${why}`);
      staleTimer = setTimeout(() => wake(`${what} is stale: ${lastError ?? why}`), graceMs);
    }
    connected = false;
    schedule(delay);
    delay = Math.min(delay * 2, backoff.maxMs);
  };

  // The API answers but the watch will not hold: count it, and list again only as often as allowed.
  const watchFailed = (why: string, kind: string, openedAt: number, relist: boolean) => {
    lastError = why;
    if (relist) resourceVersion = null;
    const pause = pacing.failed(kind, openedAt, relist);
    if (pacing.justDistrusted()) wake(`${what} cannot be trusted: its watch keeps failing (${kind})`);
    schedule(pause);
  };

  const list = async (): Promise<boolean> => {
    // A list after the first (a resync, a 410, a garbled stream) may find what the watch missed: it
    // is news, or a reading taken before it would stand on a cache that changed under it.
    const again = synced;
    pacing.listing();
    lists++;
    const outcome = await listInPages(client, path, slim, options.pageSize);
    if (closed) return false;
    if ("error" in outcome) {
      lost(`list failed: ${outcome.error}`);
      return false;
    }
    items.clear();
    itemsArray = null;
    for (const item of outcome.items) items.set(keyOf(item as RawWatchEvent["object"]), item);
    resourceVersion = outcome.resourceVersion;
    synced = true;
    heardAt = clock.now();
    delay = backoff.initialMs;
    if (again) wake(`${what} listed again`);
    return true;
  };

  const connect = async (): Promise<void> => {
    timer = null;
    if (closed) return;
    if (resourceVersion === null) {
      // The hard cap holds for every list, whatever asked for it.
      const wait = pacing.listWait();
      if (wait > 0) return schedule(wait);
      if (!(await list())) return;
    }
    let http;
    try {
      http = client.connect().http;
    } catch (error) {
      return lost((error as Error).message);
    }
    const openedAt = clock.now();
    stream = openWatchStream({
      http, path, resourceVersion: resourceVersion!, connectTimeoutMs: client.requestTimeoutMs,
      serverTimeoutSeconds: options.renewSeconds ?? 300,
      onEvent: (event) => onEvent(event),
      onOpen: () => {
        openSince = clock.now();
        client.reportWatch(what, true);
        if (staleTimer) clearTimeout(staleTimer);
        if (connected) return;
        connected = true;
        disconnectedAt = null;
        if (pacing.distrust(null) === null) lastError = null;
        wake(`${what} watch connected`);
      },
      onEnd: (failure) => onEnd(failure, openedAt),
    });
  };

  const onEnd = (failure: WatchFailure | null, openedAt: number) => {
    stream = null;
    openSince = null;
    client.reportWatch(what, false);
    if (closed) return;
    if (failure?.code === 410 || (failure === null && resourceVersion === null)) {
      // The server compacted past our version (HTTP 410, or an ERROR event with 410 and the end).
      return watchFailed(failure?.message ?? lastError ?? "410 Gone", "410 Gone: the server expired the version it was watching from", openedAt, true);
    }
    if (failure && failure.droppedLines > 0) {
      // Events may have been lost in the garbage: only a fresh list can be trusted.
      droppedLines += failure.droppedLines;
      return watchFailed(failure.message, "the stream sent lines that are not watch events", openedAt, true);
    }
    if (failure) return lost(failure.message);
    // A normal end (timeoutSeconds): resume at once; a stream that ends at once is trouble, back off.
    if (clock.now() - openedAt < 1_000) return watchFailed("watch ended as soon as it began", "the watch ends as soon as it begins", openedAt, false);
    void connect();
  };

  const onEvent = (event: RawWatchEvent) => {
    if (event.type === "ERROR") {
      // 410 Expired inside the stream: the server ends it next; re-list then.
      if (event.object.code === 410) resourceVersion = null;
      lastError = `watch error: ${event.object.message ?? JSON.stringify(event.object)}`;
      return;
    }
    heard();
    delay = backoff.initialMs;
    if (event.object.metadata?.resourceVersion) resourceVersion = event.object.metadata.resourceVersion;
    if (event.type === "BOOKMARK") return;
    const object = slim(event.object as Record<string, unknown>) as RawWatchEvent["object"];
    const key = keyOf(object);
    if (event.type === "DELETED") items.delete(key);
    else items.set(key, object);
    itemsArray = null;
    wake(`${resource === "pods" ? "pod" : "node"} ${key.replace(/^\//, "")} ${event.type.toLowerCase()}`);
  };

  // A watch that is open but silent proves nothing after a while: list again (bookmarks keep it quiet).
  const checkResync = () => {
    resyncTimer = null;
    if (closed) return;
    const quietFor = clock.now() - heardAt;
    if (synced && connected && stream !== null && quietFor >= resyncMs) {
      stream.stop();
      stream = null;
      client.reportWatch(what, false);
      openSince = null;
      resourceVersion = null;
      void connect();
    }
    resyncTimer = setTimeout(checkResync, Math.max(Math.min(1_000, resyncMs), resyncMs - Math.max(0, clock.now() - heardAt)));
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      void connect();
      resyncTimer = setTimeout(checkResync, resyncMs);
    },
    snapshot() {
      if (!synced) return { fresh: false, reason: `${what} not synced yet${lastError ? `: ${lastError}` : ""}` };
      const distrust = pacing.distrust(openSince);
      if (distrust !== null) {
        // No ticking counter in the reason: the journal records a probe only when its reason changes.
        return { fresh: false, reason: `${what} cannot be trusted: its watch keeps failing since ${new Date(distrust.since).toISOString()} (${distrust.kind})` };
      }
      const gone = disconnectedAt === null ? 0 : clock.now() - disconnectedAt;
      if (connected || gone < graceMs) return { fresh: true, items: (itemsArray ??= [...items.values()]), health: { heardAt, lists, droppedLines } };
      return { fresh: false, reason: `${what} is stale: watch disconnected since ${new Date(disconnectedAt ?? 0).toISOString()} (${lastError ?? "no error"})` };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    steadyAt: () => (synced && connected && !closed && pacing.distrust(openSince) === null ? told : null),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (staleTimer) clearTimeout(staleTimer);
      if (resyncTimer) clearTimeout(resyncTimer);
      stream?.stop();
      if (stream !== null) client.reportWatch(what, false);
      listeners.clear();
    },
  };
}
