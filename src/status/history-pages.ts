// GET /v1/history reads up to 1000 lines a page of 100 at a time, each page its own turn of the
// event loop in the query queue, so one big answer never holds the daemon's loop for more than a
// few milliseconds. Each page ends at the time where the previous one stopped (`until`, inclusive)
// and skips the lines of that same millisecond it already has: the order (time, then the journal's
// own order within a millisecond) is the same in every page, so the pages join without a gap.
import type { HistoryEntry, HistoryFilter } from "../journal/types.js";
import type { QueryQueue } from "./query-queue.js";
import type { StatusSource } from "./source.js";

/** Lines per page: about 1–2 ms of query and JSON on the daemon's thread. */
export const HISTORY_PAGE = 100;

/** The whole answer's JSON text, exactly as JSON.stringify({ entries }, null, 2) would write it. */
export async function historyAnswerText(source: StatusSource, filter: HistoryFilter & { limit: number }, queries: QueryQueue): Promise<string> {
  const parts: string[] = [];
  let until = filter.until;
  let skip = 0;
  while (parts.length < filter.limit) {
    const want = Math.min(HISTORY_PAGE, filter.limit - parts.length);
    const pageUntil = until;
    const pageSkip = skip;
    const page = await queries.run(() => {
      const entries: HistoryEntry[] = source.history({ ...filter, until: pageUntil, limit: want + pageSkip }).slice(pageSkip, pageSkip + want);
      return { entries, text: entries.map((entry) => indent(JSON.stringify(entry, null, 2))) };
    });
    parts.push(...page.text);
    const last = page.entries[page.entries.length - 1];
    if (page.entries.length < want || last === undefined) break;
    const sameMs = page.entries.filter((entry) => entry.at === last.at).length;
    skip = (last.at === until ? skip : 0) + sameMs;
    until = last.at;
  }
  return parts.length === 0 ? '{\n  "entries": []\n}\n' : `{\n  "entries": [\n${parts.join(",\n")}\n  ]\n}\n`;
}

// An entry inside the answer's "entries" array sits four spaces in.
function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}
