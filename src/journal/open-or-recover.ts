// The daemon's journal at start-up, whatever state the file is in. A journal that cannot be used must
// never stop the watchdog (exit 1, restarted every 5 s, the node unprotected): a corrupt file (random
// bytes, not a database, a directory in its place) is moved aside and a fresh journal started; a disk
// that is read-only or full gives an in-memory journal for this run. Either way the history is lost,
// so the caller holds the disruptive remedies back (src/daemon/budget-hold.ts) and says so at err.
import { existsSync, lstatSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import type { Clock } from "../ports.js";
import { JournalVersionError } from "./migrations.js";
import { openJournal } from "./open.js";
import type { Journal } from "./types.js";

/** What the daemon got, and what it must say about it. */
export interface RecoveredJournal {
  journal: Journal;
  /** No boot recorded yet: a new, empty, replaced or in-memory journal (the history is not there). */
  fresh: boolean;
  /** Where the unusable file went, when it was moved aside. */
  movedAside: string | null;
  /** True when the file could not be used at all and this run keeps its journal in memory. */
  inMemory: boolean;
  /** What went wrong, for a message at err; null when the file was fine. */
  trouble: string | null;
}

// SQLite's codes for a file that is damaged or not a database, as opposed to a disk that refuses.
const CORRUPT_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/** What `PRAGMA quick_check` found in a file: fine, damaged (move it aside), or unreadable (the disk). */
export type FileCheck = { verdict: "ok" } | { verdict: "corrupt" | "unreadable"; said: string };

/** `PRAGMA quick_check` on the file at `path`. */
export function quickCheckFile(path: string): FileCheck {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    const said = quickCheck(db);
    return said === null ? { verdict: "ok" } : { verdict: "corrupt", said };
  } catch (error) {
    const code = (error as { code?: string } | null)?.code ?? "";
    return { verdict: CORRUPT_CODES.test(code) ? "corrupt" : "unreadable", said: describe(error) };
  } finally {
    try {
      db?.close();
    } catch {
      // closing a damaged file can fail too; nothing is kept open
    }
  }
}

/** `PRAGMA quick_check` on an open database: null when "ok", else its first complaints. */
export function quickCheck(db: Database.Database): string | null {
  const rows = db.pragma("quick_check(5)", { simple: false }) as { quick_check: string }[];
  const said = rows.map((row) => row.quick_check);
  return said.length === 1 && said[0] === "ok" ? null : `quick_check: ${oneLine(said)}`;
}

/**
 * Open the journal at `path`, moving a corrupt one aside or falling back to memory. Throws only
 * JournalVersionError: a journal written by a newer release is not damage to recover from but a
 * downgrade the operator must decide on, so it is refused, never moved aside or replaced.
 */
export function openJournalOrRecover(path: string, clock: Clock): RecoveredJournal {
  let movedAside: string | null = null;
  let trouble: string | null = null;
  const existing = kindOf(path);
  if (existing === "other") {
    trouble = `${path} is not a regular file`;
    movedAside = moveAside(path, clock);
  } else if (existing === "file") {
    const check = quickCheckFile(path);
    if (check.verdict === "corrupt") {
      trouble = `${path} is corrupt (${check.said})`;
      movedAside = moveAside(path, clock);
    } else if (check.verdict === "unreadable") {
      return inMemory(`${path} cannot be read: ${check.said}`, clock);
    }
  }
  if (movedAside === null && trouble !== null) return inMemory(`${trouble}, and it could not be moved aside`, clock);
  let journal: Journal;
  try {
    journal = openJournal(path, clock);
  } catch (error) {
    if (error instanceof JournalVersionError) throw error;
    return inMemory(`${path} cannot be opened: ${describe(error)}`, clock);
  }
  // A journal that opens but cannot take a write (a full or read-only disk) would fail the loop's
  // first record; find out now, while there is still a choice.
  const fresh = journal.boots(1).length === 0;
  try {
    journal.recordNote("info", `started:${clock.now()}`, "daemon started", clock.now());
  } catch (error) {
    journal.close();
    return inMemory(`${path} cannot be written: ${describe(error)}`, clock);
  }
  return { journal, fresh, movedAside, inMemory: false, trouble: trouble === null ? null : `${trouble}; moved aside to ${movedAside}, a fresh journal started` };
}

function inMemory(trouble: string, clock: Clock): RecoveredJournal {
  return { journal: openJournal(":memory:", clock), fresh: true, movedAside: null, inMemory: true, trouble: `${trouble}; keeping this run's journal in memory (lost when the daemon stops)` };
}

function kindOf(path: string): "missing" | "file" | "other" {
  try {
    return lstatSync(path).isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

/** Rename `path` (and its -wal and -shm) to `path.corrupt-<time>`; null when it cannot be renamed. */
function moveAside(path: string, clock: Clock): string | null {
  const target = `${path}.corrupt-${new Date(clock.now()).toISOString().replace(/[:.]/g, "-")}`;
  try {
    renameSync(path, target);
  } catch {
    return null;
  }
  for (const suffix of ["-wal", "-shm"]) {
    try {
      if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
    } catch {
      // The main file is aside; a leftover -wal without it is ignored by a fresh database only if
      // removed, so a failure here is reported by the fresh open below.
    }
  }
  return target;
}

// quick_check's complaints span lines ("*** in database main ***\nPage 5: …"): one line for the log.
function oneLine(said: string[]): string {
  return said.join("; ").replace(/\s*\n\s*/g, " ");
}

function describe(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

// The periodic check runs on its own thread and its own read-only connection: quick_check reads the
// whole file (about half a second for 64 MiB), which must not hold up the loop. An eval'd CommonJS
// worker needs no separate file, so it works from the sources and from dist alike.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.sqlite);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true, readonly: true });
  parentPort.postMessage({ said: db.pragma("quick_check(5)").map((row) => row.quick_check) });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.message) || error), code: error && error.code });
} finally {
  try { if (db) db.close(); } catch {}
}`;

/** `quickCheckFile` on a worker thread; a worker that cannot run reads "unreadable", never "corrupt". */
export function quickCheckFileOffThread(path: string): Promise<FileCheck> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER, { eval: true, workerData: { path, sqlite: createRequire(import.meta.url).resolve("better-sqlite3") } });
    } catch (error) {
      resolve({ verdict: "unreadable", said: describe(error) });
      return;
    }
    worker.once("message", (message: { said?: string[]; error?: string; code?: string }) => {
      if (message.said) resolve(message.said.length === 1 && message.said[0] === "ok" ? { verdict: "ok" } : { verdict: "corrupt", said: `quick_check: ${oneLine(message.said)}` });
      else resolve({ verdict: CORRUPT_CODES.test(message.code ?? "") ? "corrupt" : "unreadable", said: message.error ?? "unknown error" });
      void worker.terminate();
    });
    worker.once("error", (error) => resolve({ verdict: "unreadable", said: describe(error) }));
  });
}
