// One watch connection, read line by line over the kubeconfig's keep-alive agent. Not client-node's
// Watch: it silently drops every line it cannot parse, so a server streaming garbage after a good
// list left the cache looking fresh. Here a line that is not a watch event ends the watch as a
// failure, and the headers must come within the connect timeout (client-node waits forever).
import type { ClientRequest, IncomingMessage } from "node:http";
import { describeHttpFailure, formatSeconds } from "./kube-error.js";
import type { KubeHttp } from "./kube-http.js";

/** A watch event as the server sent it (raw JSON, not deserialised). */
export interface RawWatchEvent {
  type: string;
  object: { metadata?: { name?: string; namespace?: string; resourceVersion?: string }; code?: number; message?: string; [key: string]: unknown };
}

/** Why a watch ended badly: an HTTP status, a broken connection, or lines that are not events. */
export interface WatchFailure {
  message: string;
  /** The HTTP status when the server refused the watch (410 when our version is too old). */
  code: number | null;
  /** Lines dropped because they were not watch events (the watch ends at the first one). */
  droppedLines: number;
}

export interface WatchStreamOptions {
  http: KubeHttp;
  /** "/api/v1/namespaces/songnodes/pods", "/api/v1/nodes". */
  path: string;
  resourceVersion: string;
  connectTimeoutMs: number;
  /** The server ends the watch after this long (timeoutSeconds); the cache then resumes from its resourceVersion. */
  serverTimeoutSeconds: number;
  onEvent(event: RawWatchEvent): void;
  /** The server answered 200 and the stream is open. */
  onOpen(): void;
  /** Called once: null when the server ended the stream, otherwise why it failed. */
  onEnd(failure: WatchFailure | null): void;
}

/** A running watch; `stop()` ends it without calling onEnd. */
export interface WatchStream {
  stop(): void;
}

const EVENT_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);
// One object per line; a pod is 5–20 KB. A "line" of many MB without a newline is not a watch.
const MAX_LINE = 16 * 1024 * 1024;

/** Parse one line into a watch event, or null when it is not one. */
export function parseWatchLine(line: string): RawWatchEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== "object") return null;
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (typeof type !== "string" || !EVENT_TYPES.has(type) || object === null || typeof object !== "object" || Array.isArray(object)) return null;
  return { type, object: object as RawWatchEvent["object"] };
}

/** Open a watch from `resourceVersion`; failures arrive through onEnd, never as a throw. */
export function openWatchStream(options: WatchStreamOptions): WatchStream {
  let stopped = false;
  let request: ClientRequest | null = null;

  const end = (failure: WatchFailure | null) => {
    clearTimeout(connectTimer);
    clearTimeout(expiryTimer);
    if (stopped) return;
    stopped = true;
    request?.destroy();
    options.onEnd(failure);
  };
  const fail = (message: string, code: number | null = null, droppedLines = 0) => end({ message, code, droppedLines });

  const connectTimer = setTimeout(() => fail(`watch got no answer within ${formatSeconds(options.connectTimeoutMs)}`), options.connectTimeoutMs);
  // The server should end the watch at timeoutSeconds; if it has gone silent without closing the
  // connection, end it ourselves a little later so the cache resumes instead of trusting a dead stream.
  const expiryTimer = setTimeout(() => end(null), (options.serverTimeoutSeconds + 30) * 1000);

  const onResponse = (response: IncomingMessage) => {
    clearTimeout(connectTimer);
    if (stopped) return void response.destroy();
    if (response.statusCode !== 200) {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.length < 16 && chunks.push(chunk));
      response.on("end", () => fail(describeHttpFailure(response.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")), response.statusCode ?? null));
      response.on("error", (error) => fail(error.message, response.statusCode ?? null));
      return;
    }
    options.onOpen();
    let pending = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0 && !stopped) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line !== "") {
          const event = parseWatchLine(line);
          if (event === null) return fail(`the watch stream sent a line that is not a watch event: ${JSON.stringify(line.slice(0, 80))}`, null, 1);
          options.onEvent(event);
        }
        newline = pending.indexOf("\n");
      }
      if (pending.length > MAX_LINE) fail(`the watch stream sent ${pending.length} bytes without a line end`, null, 1);
    });
    response.on("end", () => (pending.trim() === "" ? end(null) : fail("the watch stream ended in the middle of a line", null, 1)));
    response.on("error", (error) => fail(error.message));
    response.on("aborted", () => fail("the watch connection was cut"));
  };

  void (async () => {
    let base;
    try {
      base = await options.http.requestOptions();
    } catch (error) {
      return fail(`kubeconfig credentials unusable: ${(error as Error).message}`);
    }
    if (stopped) return;
    const url = new URL(options.http.server + options.path);
    url.searchParams.set("watch", "1");
    url.searchParams.set("resourceVersion", options.resourceVersion);
    url.searchParams.set("allowWatchBookmarks", "true");
    url.searchParams.set("timeoutSeconds", String(options.serverTimeoutSeconds));
    try {
      request = options.http.transport().request(url, { ...base, method: "GET" }, onResponse);
    } catch (error) {
      return fail((error as Error).message);
    }
    request.on("error", (error) => fail(error.message));
    request.end();
  })();

  return {
    stop() {
      clearTimeout(connectTimer);
      clearTimeout(expiryTimer);
      if (stopped) return;
      stopped = true;
      request?.destroy();
    },
  };
}
