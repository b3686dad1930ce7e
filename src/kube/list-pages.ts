// A full list in pages (limit/continue), each page parsed and slimmed before the next is fetched, so
// the peak memory of a list is one page, not the whole namespace as one JSON text. The list's
// resourceVersion is the first page's: the server serves every page from that same snapshot.
import type { KubeClient } from "./client.js";
import { describeHttpFailure } from "./kube-error.js";

/** The objects listed (slimmed) and the version to watch from, or why the list failed. */
export type ListOutcome =
  | { items: unknown[]; resourceVersion: string }
  | { error: string; expired: boolean };

// A page of 500 pods is about 5 MB of JSON: large enough to list 20,000 pods in 40 requests.
const DEFAULT_PAGE = 500;
const MAX_PAGE_BYTES = 256 * 1024 * 1024;

/** List `path` (a collection) page by page, keeping `slim(item)` of each item. Never throws. */
export async function listInPages(client: KubeClient, path: string, slim: (item: Record<string, unknown>) => unknown, pageSize = DEFAULT_PAGE): Promise<ListOutcome> {
  const items: unknown[] = [];
  let resourceVersion: string | null = null;
  let token: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (token !== null) query.set("continue", token);
    const answer = await client.get(`${path}?${query}`, undefined, MAX_PAGE_BYTES);
    if (answer.httpStatus === null) return { error: answer.error ?? "no answer", expired: false };
    // 410 on a continue token: the snapshot was compacted away mid-list; start over later.
    if (answer.httpStatus !== 200) return { error: describeHttpFailure(answer.httpStatus, answer.body), expired: answer.httpStatus === 410 };
    let page: { items?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown } };
    try {
      page = JSON.parse(answer.body) as typeof page;
    } catch (error) {
      return { error: `the API answered with malformed JSON (${(error as Error).message})`, expired: false };
    }
    if (page === null || typeof page !== "object" || !Array.isArray(page.items)) {
      return { error: "the API answered with something that is not a list (no items)", expired: false };
    }
    for (const item of page.items) if (item !== null && typeof item === "object") items.push(slim(item as Record<string, unknown>));
    resourceVersion ??= typeof page.metadata?.resourceVersion === "string" ? page.metadata.resourceVersion : "";
    token = typeof page.metadata?.continue === "string" && page.metadata.continue !== "" ? page.metadata.continue : null;
  } while (token !== null);
  return { items, resourceVersion: resourceVersion ?? "" };
}
