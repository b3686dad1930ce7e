// The query parameters of list and watch requests: selectors, paging, table options.
import { ApiError, failureStatus } from "./status-object.js";
import { parseFieldSelector, parseLabelSelector, SelectorError, type ObjectMatcher } from "./selectors.js";
import type { KubeObject, ResourceName } from "./store-types.js";
import type { IncludeObject } from "./tables/table.js";

/** A list or watch request, parsed. */
export interface ListQuery {
  matches: ObjectMatcher;
  watch: boolean;
  resourceVersion: string | null;
  timeoutSeconds: number | null;
  allowWatchBookmarks: boolean;
  limit: number;
  continueAfter: string | null;
  includeObject: IncludeObject;
}

const truthy = (value: string | null) => value === "1" || value === "true";

const badRequest = (message: string) => new ApiError(failureStatus(400, message));

/** The key objects are ordered and paged by (the store lists in this order). */
export const pageKey = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Parse the query of a list/watch on `resource`; `name` (a single-object path) adds a name match. Throws ApiError (400). */
export function parseListQuery(query: URLSearchParams, resource: ResourceName, name: string | null): ListQuery {
  const matchers: ObjectMatcher[] = [];
  try {
    const fieldSelector = query.get("fieldSelector");
    const labelSelector = query.get("labelSelector");
    if (fieldSelector) matchers.push(parseFieldSelector(fieldSelector, resource));
    if (labelSelector) matchers.push(parseLabelSelector(labelSelector));
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
  if (name !== null) matchers.push((o) => o.metadata.name === name);
  const rv = query.get("resourceVersion");
  if (rv && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  const timeout = query.get("timeoutSeconds");
  if (timeout !== null && !/^\d+$/.test(timeout)) throw badRequest(`invalid timeoutSeconds: ${timeout}`);
  const limit = query.get("limit");
  if (limit !== null && !/^\d+$/.test(limit)) throw badRequest(`invalid limit: ${limit}`);
  let continueAfter: string | null = null;
  const token = query.get("continue");
  if (token) {
    try {
      const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
      if (typeof decoded.after !== "string") throw new Error("no key");
      continueAfter = decoded.after;
    } catch {
      throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
  }
  const include = query.get("includeObject");
  return {
    matches: (o) => matchers.every((m) => m(o)),
    watch: truthy(query.get("watch")),
    resourceVersion: rv || null,
    timeoutSeconds: timeout === null ? null : Number(timeout),
    allowWatchBookmarks: truthy(query.get("allowWatchBookmarks")),
    limit: limit === null ? 0 : Number(limit),
    continueAfter,
    includeObject: include === "None" || include === "Object" ? include : "Metadata",
  };
}

/** One page of `items` (already filtered and in store order) and the list metadata for it. */
export function pageOf(items: KubeObject[], query: ListQuery, resourceVersion: string): { items: KubeObject[]; metadata: Record<string, unknown> } {
  const rest = query.continueAfter === null ? items : items.filter((o) => pageKey(o) > query.continueAfter!);
  if (query.limit <= 0 || rest.length <= query.limit) return { items: rest, metadata: { resourceVersion } };
  const page = rest.slice(0, query.limit);
  const after = pageKey(page[page.length - 1]!);
  return {
    items: page,
    metadata: {
      resourceVersion,
      continue: Buffer.from(JSON.stringify({ rv: resourceVersion, after })).toString("base64url"),
      remainingItemCount: rest.length - page.length,
    },
  };
}
