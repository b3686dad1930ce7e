// How old a watched list is, for `check` and `status`: from the last moment the API confirmed it (a
// list, an event or a bookmark). Kept out of the probe's reason, which the journal records on change.
import { formatDuration } from "../config/duration.js";
import type { CacheHealth } from "../core/types.js";

/** When the reading's list was last confirmed by the API, or null when it has no cache (unknown, simulator). */
export function cacheHeardAt(detail: { cache?: CacheHealth } | null | undefined): number | null {
  return detail?.cache?.heardAt ?? null;
}

/** "list 4s old", or null when there is no cache. */
export function cacheAgeText(heardAt: number | null | undefined, now: number): string | null {
  if (heardAt === null || heardAt === undefined) return null;
  const age = Math.max(0, now - heardAt);
  return `list ${age < 1_000 ? "<1s" : formatDuration(Math.floor(age / 1_000) * 1_000)} old`;
}
