// GET (list, get, watch) and DELETE (one object or a collection) on a resource path.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../ports.js";
import { parseDeleteOptions, checkPreconditions } from "./delete-options.js";
import { pageOf, parseListQuery, type ListQuery } from "./list-query.js";
import type { ResourceTarget } from "./request-target.js";
import { groupVersion } from "./resources.js";
import { ApiError, failureStatus, notFound } from "./status-object.js";
import type { KubeObject, ObjectStore } from "./store-types.js";
import { printerFor } from "./tables/printers.js";
import { buildTable } from "./tables/table.js";
import { streamWatch, type WatchFault } from "./watch-stream.js";

/** What the handlers share: the store, the clock the AGE columns use, the bookmark interval. */
export interface ResourceContext {
  store: ObjectStore;
  clock: Clock;
  bookmarkIntervalMs: number;
  /** A watch-only fault: lists answer, watches fail (see WatchFault). */
  watchFault?: () => WatchFault | null;
}

/** Send `body` as JSON with `code`. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** kubectl asks for server-side printing with `as=Table;…;g=meta.k8s.io` in Accept. */
function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return accept.split(",").some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part));
}

function withKind(target: ResourceTarget, o: KubeObject): KubeObject {
  return { ...o, kind: o.kind || target.info.kind, apiVersion: o.apiVersion || groupVersion(target.info) };
}

/** Serve a GET or DELETE on `target`; throws ApiError for the server to turn into a Status. */
export function serveResource(ctx: ResourceContext, target: ResourceTarget, req: IncomingMessage, res: ServerResponse, body: Buffer, url: URL): void {
  const { info } = target;
  const table = wantsTable(req);
  const now = () => ctx.clock.now();
  if (req.method === "GET" && target.name !== null && url.searchParams.get("watch") === null) {
    const found = ctx.store.get(info.name, target.namespace, target.name);
    if (!found) throw notFound(info.name, info.group, target.name);
    const query = parseListQuery(url.searchParams, info.name, null);
    const object = withKind(target, found);
    sendJson(res, 200, table ? buildTable(printerFor(info.name), [object], now(), query.includeObject, { resourceVersion: found.metadata.resourceVersion }) : object);
    return;
  }
  if (req.method === "GET") {
    const query = parseListQuery(url.searchParams, info.name, target.name);
    if (query.watch) {
      let first = true;
      const present = (o: KubeObject) => {
        if (!table) return withKind(target, o);
        const t = buildTable(printerFor(info.name), [withKind(target, o)], now(), query.includeObject, {}) as { columnDefinitions?: unknown };
        if (!first) t.columnDefinitions = [];
        first = false;
        return t;
      };
      streamWatch({ store: ctx.store, bookmarkIntervalMs: ctx.bookmarkIntervalMs, present, fault: ctx.watchFault?.() ?? null }, info, target.namespace, query, res);
      return;
    }
    sendList(ctx, target, query, table, res);
    return;
  }
  if (req.method === "DELETE") {
    const options = parseDeleteOptions(url.searchParams, body);
    if (target.name !== null) {
      const found = ctx.store.get(info.name, target.namespace, target.name);
      if (!found) throw notFound(info.name, info.group, target.name);
      checkPreconditions(found, options.preconditions);
      const after = options.dryRun ? found : ctx.store.requestDelete(info.name, target.namespace, target.name, options.request);
      sendJson(res, 200, withKind(target, after ?? found));
      return;
    }
    const query = parseListQuery(url.searchParams, info.name, null);
    const { items, resourceVersion } = ctx.store.list(info.name, target.namespace);
    const deleted = items.filter(query.matches).map((o) => {
      if (options.dryRun) return withKind(target, o);
      const after = ctx.store.requestDelete(info.name, o.metadata.namespace ?? null, o.metadata.name, options.request);
      return withKind(target, after ?? o);
    });
    sendJson(res, 200, { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata: { resourceVersion }, items: deleted });
    return;
  }
  throw new ApiError(failureStatus(405, "the server does not allow this method on the requested resource"));
}

function sendList(ctx: ResourceContext, target: ResourceTarget, query: ListQuery, table: boolean, res: ServerResponse): void {
  const { info } = target;
  // Page over the stored objects themselves (serialised at once, never changed): a 20,000-pod
  // namespace listed 500 at a time would otherwise be copied whole for every page.
  const { items, resourceVersion, present = (o: KubeObject) => o } = ctx.store.listShared(info.name, target.namespace);
  const shared = pageOf(items.filter(query.matches), query, resourceVersion);
  const page = { ...shared, items: shared.items.map((o) => withKind(target, present(o))) };
  if (table) {
    sendJson(res, 200, buildTable(printerFor(info.name), page.items, ctx.clock.now(), query.includeObject, page.metadata));
    return;
  }
  sendJson(res, 200, { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata: page.metadata, items: page.items });
}
