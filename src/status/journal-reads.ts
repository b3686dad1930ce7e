// How the sockets read the journal for /v1/history and /v1/boots: each answer's whole JSON text,
// or an HttpError (503 busy) when too many readers wait. Two ways: on a thread of their own, with a
// read-only connection to the journal file (journal-reader-thread.ts), so that no reader can hold up
// the loop; or, for a journal kept in memory (a disk that refused it), on the loop's thread, paged
// and budgeted by the query queue.
import type { HistoryFilter } from "../journal/types.js";
import { historyAnswerText } from "./history-pages.js";
import type { QueryQueue } from "./query-queue.js";
import { jsonText } from "./responses.js";
import type { StatusSource } from "./source.js";

/** The journal reads the routes make; each resolves to the answer's JSON text (or its UTF-8). */
export interface JournalReads {
  historyText(filter: HistoryFilter & { limit: number }): Promise<string | Uint8Array>;
  bootsText(limit: number): Promise<string | Uint8Array>;
  /** Stop whatever the reads hold (a thread); later reads are refused. */
  close(): Promise<void>;
}

/** Reads on the loop's own thread through `source`, one short page per turn of the event loop. */
export function readsOnLoopThread(source: StatusSource, queries: QueryQueue): JournalReads {
  return {
    historyText: (filter) => historyAnswerText(source, filter, queries),
    bootsText: (limit) => queries.run(() => jsonText({ boots: source.boots(limit).slice(0, limit) })),
    close: async () => {},
  };
}
