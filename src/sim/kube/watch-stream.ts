// A watch as kube-apiserver streams it: newline-delimited {"type","object"} over a chunked 200.
// Without a resourceVersion (or with "0") it starts with an ADDED for every current object; from a
// resourceVersion it replays the store's history. A version older than that history is answered as
// the watch cache does: 200, then one ERROR event carrying a 410 Expired Status, then the end.
import type { ServerResponse } from "node:http";
import type { ListQuery } from "./list-query.js";
import { groupVersion, type ResourceInfo } from "./resources.js";
import { StoreGoneError } from "./store.js";
import { failureStatus } from "./status-object.js";
import type { KubeObject, ObjectStore, WatchEvent } from "./store-types.js";

/**
 * A watch that fails while lists answer: `gone` answers every watch with an ERROR event carrying 410
 * Expired and ends it (a server whose compaction always outruns the client); `garbage` streams lines
 * that are not watch events and keeps the connection open (a proxy or a broken server after a good list).
 */
export type WatchFault = "gone" | "garbage";

/** What a watch needs besides the request: the store and how often to send bookmarks. */
export interface WatchContext {
  store: ObjectStore;
  bookmarkIntervalMs: number;
  /** Turns an event's object into what is sent (a one-row Table for `kubectl get -w`). */
  present: (object: KubeObject) => unknown;
  fault?: WatchFault | null;
}

// kube-apiserver's --min-request-timeout is 1800 s; watches without timeoutSeconds end after it.
const DEFAULT_TIMEOUT_SECONDS = 1800;

/** Stream a watch on `info` in `namespace` to `res` until the timeout, the client leaves or the server stops. */
export function streamWatch(ctx: WatchContext, info: ResourceInfo, namespace: string | null, query: ListQuery, res: ServerResponse): void {
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  res.flushHeaders();
  const send = (type: string, object: unknown) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  if (ctx.fault === "gone") {
    const current = ctx.store.currentResourceVersion();
    send("ERROR", failureStatus(410, `too old resource version: ${query.resourceVersion ?? "0"} (${current})`));
    res.end();
    return;
  }
  if (ctx.fault === "garbage") {
    res.write('<html><body>502 Bad Gateway</body></html>\n{"type":"MODIFIED","object":{"metadata":{"name":"trunc\n');
    const timeout = setTimeout(() => res.end(), (query.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
    res.on("close", () => clearTimeout(timeout));
    return;
  }
  // Objects seen matching the selector: one that stops matching is sent as DELETED, as a real server does.
  const matching = new Set<string>();
  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  const onEvent = (event: WatchEvent) => {
    const key = keyOf(event.object);
    if (query.matches(event.object)) {
      if (event.type === "DELETED") matching.delete(key);
      else matching.add(key);
      send(event.type, ctx.present(event.object));
    } else if (event.type === "MODIFIED" && matching.delete(key)) {
      send("DELETED", ctx.present(event.object));
    }
  };
  let unsubscribe = () => {};
  const fromNow = query.resourceVersion === null || query.resourceVersion === "0";
  if (fromNow) {
    for (const o of ctx.store.list(info.name, namespace).items) onEvent({ type: "ADDED", object: o });
  }
  try {
    unsubscribe = ctx.store.watch(info.name, namespace, fromNow ? null : query.resourceVersion, onEvent);
  } catch (error) {
    if (!(error instanceof StoreGoneError)) throw error;
    send("ERROR", failureStatus(410, error.message));
    res.end();
    return;
  }
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  timers.push(setTimeout(finish, (query.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000));
  if (query.allowWatchBookmarks) {
    const bookmark = setInterval(() => {
      const metadata = { resourceVersion: ctx.store.currentResourceVersion() };
      send("BOOKMARK", { kind: info.kind, apiVersion: groupVersion(info), metadata });
    }, ctx.bookmarkIntervalMs);
    timers.push(bookmark);
  }
  res.on("close", finish);
}
