// The journal reader's thread (started by journal-reader-thread.ts): a read-only connection to the
// journal file that answers history and boots queries with their whole JSON text, encoded. WAL lets
// it read while the loop writes; the loop's thread only takes over the finished bytes (transferred,
// not copied) and writes them to the socket.
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { createBootQueries } from "../journal/boots.js";
import { createHistoryQueries } from "../journal/history.js";
import { jsonText } from "./responses.js";
import type { ReaderAnswer, ReaderQuestion } from "./journal-reader-thread.js";

const { path } = workerData as { path: string };
const encoder = new TextEncoder();
let queries: { history: ReturnType<typeof createHistoryQueries>["history"]; boots: ReturnType<typeof createBootQueries>["boots"] } | null = null;

// Opened at the first question, so that a journal that cannot be opened is said in that answer.
function open(): NonNullable<typeof queries> {
  if (queries !== null) return queries;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  queries = { history: createHistoryQueries(db).history, boots: createBootQueries(db).boots };
  return queries;
}

function answer(question: ReaderQuestion): string {
  const { history, boots } = open();
  return question.kind === "history"
    ? jsonText({ entries: history(question.filter) })
    : jsonText({ boots: boots(question.limit).slice(0, question.limit) });
}

// On Linux the nice value is per thread: this one yields to the loop's thread when the CPU is short.
try {
  setPriority(10);
} catch {
  // Not allowed or not supported: the thread still keeps the queries off the loop's thread.
}

parentPort?.on("message", (question: ReaderQuestion) => {
  const started = performance.now();
  try {
    // Its own ArrayBuffer (never a pooled one), so it can be handed over without a copy.
    const bytes = encoder.encode(answer(question));
    const reply: ReaderAnswer = { id: question.id, bytes, ms: performance.now() - started };
    parentPort?.postMessage(reply, [bytes.buffer]);
  } catch (error) {
    const reply: ReaderAnswer = { id: question.id, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
    parentPort?.postMessage(reply);
  }
});
