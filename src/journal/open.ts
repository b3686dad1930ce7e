// Opens (or creates) the SQLite journal and wires the per-table queries into one `Journal`.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Clock } from "../ports.js";
import { createActionQueries } from "./actions.js";
import { createBootQueries } from "./boots.js";
import { createCoreMemoryQueries } from "./core-memory.js";
import { createHistoryQueries } from "./history.js";
import { createMaintenanceQueries } from "./maintenance.js";
import { JournalVersionError, migrate } from "./migrations.js";
import { createNoteQueries } from "./notes.js";
import { createObservationQueries } from "./observations.js";
import { createPauseQueries } from "./pauses.js";
import { createPhaseQueries } from "./phases.js";
import { createPruner } from "./prune.js";
import type { Journal } from "./types.js";

const systemClock: Clock = { now: () => Date.now() };

/** Thrown when the journal file cannot be opened or is not a journal; the message names the path. */
export class JournalOpenError extends Error {
  override name = "JournalOpenError";
}

/** Opens the journal at `path` (":memory:" for the simulator), creating and migrating it as needed. */
export function openJournal(path: string, clock: Clock = systemClock): Journal {
  const db = connect(path);
  try {
    configure(db);
    migrate(db, path, clock.now());
  } catch (error) {
    db.close();
    if (error instanceof JournalVersionError) throw error;
    throw new JournalOpenError(`cannot use the journal ${path}: ${describe(error)}`, { cause: error });
  }
  return wire(db);
}

function connect(path: string): Database.Database {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    return new Database(path);
  } catch (error) {
    throw new JournalOpenError(`cannot open the journal ${path}: ${describe(error)}`, { cause: error });
  }
}

function configure(db: Database.Database): void {
  // auto_vacuum only takes effect before the first table exists: new journals get the incremental
  // kind, so prune can hand freed pages back without rewriting the whole file.
  if ((db.pragma("user_version", { simple: true }) as number) === 0) db.pragma("auto_vacuum = INCREMENTAL");
  // WAL: the status socket's readers never block the loop's writes, and a commit is one append.
  db.pragma("journal_mode = WAL");
  // synchronous = NORMAL with WAL fsyncs at checkpoints, not at every commit. A killed or crashed
  // daemon loses nothing (committed pages are in the WAL, in the OS cache); only a power cut can lose
  // the last commits, never corrupt the file. The trade-off: one fsync per commit on the same disk
  // as k3s, containerd and PostgreSQL is not worth the last second of history before a power cut,
  // when the machine reboots anyway and the next boot starts a new record.
  db.pragma("synchronous = NORMAL");
  // Another process (the CLI reading history) may hold a lock briefly: wait rather than fail.
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
}

function wire(db: Database.Database): Journal {
  // The boot recorded in this run; before recordBoot, new actions fall back to the newest boot known.
  let currentBootId: string | null = null;
  const currentBoot = () => currentBootId;
  const boots = createBootQueries(db);
  return {
    ...boots,
    recordBoot(bootId, at) {
      currentBootId = bootId;
      return boots.recordBoot(bootId, at);
    },
    ...createPhaseQueries(db),
    ...createObservationQueries(db),
    ...createActionQueries(db, currentBoot),
    ...createPauseQueries(db),
    ...createNoteQueries(db),
    ...createCoreMemoryQueries(db),
    ...createHistoryQueries(db),
    ...createPruner(db, currentBoot),
    maintenance: createMaintenanceQueries(db),
    close() {
      if (!db.open) return;
      if (db.pragma("journal_mode", { simple: true }) === "wal") db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
