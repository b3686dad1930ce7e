// History and boots answers read on a thread of their own (journal-reader-worker.ts), with its own
// read-only connection to the journal file: a query of any size runs there, so no reader, however
// many or however greedy, can hold up the loop, its timers or the watchdog. One question at a time;
// at most `maxQueued` waiting or being answered (more get 503 busy at once); a question not answered
// within its deadline stops the thread (the next question starts a new one); the thread's time is
// budgeted per sliding second, so looping readers cannot take a whole core from the node; an idle
// thread is stopped and its memory handed back.
import { Worker } from "node:worker_threads";
import type { HistoryFilter } from "../journal/types.js";
import type { Logger } from "../ports.js";
import type { JournalReads } from "./journal-reads.js";
import { HttpError } from "./responses.js";

/** What the loop's thread asks the reader's thread. */
export type ReaderQuestion =
  | { id: number; kind: "history"; filter: HistoryFilter & { limit: number } }
  | { id: number; kind: "boots"; limit: number };

/** The reader's answer: the JSON text in UTF-8, or why it could not read; `ms`: its time there. */
export type ReaderAnswer = { id: number; bytes: Uint8Array; ms: number } | { id: number; error: string; ms: number };

export interface ReaderThreadOptions {
  /** The journal file (never ":memory:": a journal in memory is read on the loop's thread). */
  path: string;
  logger: Logger;
  /** Questions waiting or being answered; one more is answered 503 at once. */
  maxQueued: number;
  /** A question not answered within this is refused (503) and its thread stopped. */
  deadlineMs?: number;
  /** Thread time the questions may take per sliding second (a share of one core). */
  budgetMsPerSecond?: number;
  /** A thread with no question for this long is stopped. */
  idleMs?: number;
}

type AskedQuestion = { kind: "history"; filter: HistoryFilter & { limit: number } } | { kind: "boots"; limit: number };

interface Waiting {
  question: ReaderQuestion;
  resolve(text: Uint8Array): void;
  reject(error: Error): void;
}

/** Journal reads answered on their own thread; `threadsStarted` counts the threads (for tests). */
export function readsOffThread(options: ReaderThreadOptions): JournalReads & { threadsStarted(): number } {
  const { path, logger, maxQueued, deadlineMs = 5_000, budgetMsPerSecond = 250, idleMs = 60_000 } = options;
  const waiting: Waiting[] = [];
  const spent: { at: number; ms: number }[] = [];
  let current: { entry: Waiting; deadline: NodeJS.Timeout } | null = null;
  let worker: Worker | null = null;
  let later: NodeJS.Timeout | null = null;
  let idle: NodeJS.Timeout | null = null;
  let nextId = 1;
  let started = 0;
  let closed = false;

  const stopThread = () => {
    const stopping = worker;
    worker = null;
    return stopping?.terminate().then(() => undefined) ?? Promise.resolve();
  };
  const finish = (outcome: { text: Uint8Array } | { error: Error }) => {
    if (current === null) return;
    const { entry, deadline } = current;
    current = null;
    clearTimeout(deadline);
    if ("text" in outcome) entry.resolve(outcome.text);
    else entry.reject(outcome.error);
    pump();
  };
  const start = (): Worker => {
    const thread = new Worker(workerScript(), { workerData: { path } });
    started++;
    thread.on("message", (reply: ReaderAnswer) => {
      if (current === null || reply.id !== current.entry.question.id) return;
      spent.push({ at: performance.now(), ms: reply.ms });
      finish("bytes" in reply ? { text: reply.bytes } : { error: new HttpError(500, "cannot read the journal", reply.error) });
    });
    thread.on("error", (error) => {
      logger.warn(`the journal reader's thread failed: ${error.message}`);
      if (worker === thread) void stopThread();
      finish({ error: new HttpError(500, "cannot read the journal", `the reader's thread failed: ${error.message}`) });
    });
    thread.on("exit", () => {
      if (worker !== thread) return;
      worker = null;
      finish({ error: new HttpError(500, "cannot read the journal", "the reader's thread stopped") });
    });
    return thread;
  };
  const overdue = () => {
    logger.warn(`a journal query took longer than ${deadlineMs} ms; its reader's thread is stopped`);
    void stopThread();
    finish({ error: busy("the journal query took too long", { deadlineMs }) });
  };
  const budgetWait = () => {
    const now = performance.now();
    while (spent.length > 0 && (spent[0]?.at ?? 0) < now - 1_000) spent.shift();
    const used = spent.reduce((sum, entry) => sum + entry.ms, 0);
    return used < budgetMsPerSecond ? 0 : Math.max(1, (spent[0]?.at ?? now) + 1_000 - now);
  };
  const pump = () => {
    if (closed || current !== null || later !== null) return;
    if (waiting.length === 0) {
      if (worker !== null && idle === null) idle = setTimeout(() => ((idle = null), current === null && void stopThread()), idleMs).unref();
      return;
    }
    const wait = budgetWait();
    if (wait > 0) {
      later = setTimeout(() => ((later = null), pump()), wait);
      return;
    }
    if (idle !== null) clearTimeout(idle), (idle = null);
    const entry = waiting.shift() as Waiting;
    let thread: Worker;
    try {
      thread = worker ??= start();
    } catch (error) {
      entry.reject(new HttpError(500, "cannot read the journal", `cannot start the reader's thread: ${(error as Error).message}`));
      pump();
      return;
    }
    current = { entry, deadline: setTimeout(overdue, deadlineMs) };
    thread.postMessage(entry.question);
  };
  const ask = (question: AskedQuestion): Promise<Uint8Array> => {
    if (closed) return Promise.reject(busy("the status sockets are closing", null));
    const load = waiting.length + (current === null ? 0 : 1);
    if (load >= maxQueued) return Promise.reject(busy("too many journal queries waiting", { waiting: load }));
    return new Promise<Uint8Array>((resolve, reject) => {
      waiting.push({ question: { ...question, id: nextId++ } as ReaderQuestion, resolve, reject });
      pump();
    });
  };
  return {
    historyText: (filter) => ask({ kind: "history", filter }),
    bootsText: (limit) => ask({ kind: "boots", limit }),
    threadsStarted: () => started,
    async close() {
      closed = true;
      for (const timer of [later, idle]) if (timer !== null) clearTimeout(timer);
      for (const entry of waiting.splice(0)) entry.reject(busy("the status sockets are closing", null));
      finish({ error: busy("the status sockets are closing", null) });
      await stopThread();
    },
  };
}

function busy(why: string, detail: unknown): HttpError {
  return new HttpError(503, `busy: ${why}; try again`, detail, { "retry-after": "1" });
}

// The compiled script beside this file. Run from the TypeScript source (the tests), it is the one
// in dist/, which `npm test` builds first: a thread cannot run TypeScript.
function workerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return new URL(here.replace(/\/src\/status\/[^/]+\.ts$/, "/dist/src/status/journal-reader-worker.js"));
  return new URL("./journal-reader-worker.js", here);
}
