// The journal's schema as numbered migrations. `PRAGMA user_version` holds how many have run; each
// runs in its own transaction, so a crash mid-upgrade leaves the previous version intact. Append
// only: never edit a migration that has shipped, add the next one.
import type Database from "better-sqlite3";

/** One schema step; `version` is its 1-based position in MIGRATIONS. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema step, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "boots, phases, observations, actions, pauses, notes",
    sql: `
      CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE boots (
        id INTEGER PRIMARY KEY,
        boot_id TEXT NOT NULL UNIQUE,
        first_seen_at INTEGER NOT NULL,
        healthy_at INTEGER
      ) STRICT;
      CREATE TABLE phase_transitions (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
        from_phase TEXT, to_phase TEXT NOT NULL, why TEXT NOT NULL
      ) STRICT;
      CREATE INDEX phase_transitions_at ON phase_transitions (at);
      CREATE TABLE observation_changes (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
        probe TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('ok', 'bad', 'unknown')),
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX observation_changes_at ON observation_changes (at);
      CREATE INDEX observation_changes_probe ON observation_changes (probe, id);
      CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        why TEXT NOT NULL,
        planned_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        outcome TEXT NOT NULL
          CHECK (outcome IN ('planned', 'started', 'succeeded', 'failed', 'interrupted', 'dry-run')),
        detail TEXT NOT NULL DEFAULT '',
        touched TEXT NOT NULL DEFAULT '[]',
        boot_id TEXT NOT NULL,
        dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1))
      ) STRICT;
      CREATE INDEX actions_planned_at ON actions (planned_at);
      CREATE TABLE pauses (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, until INTEGER NOT NULL,
        reason TEXT NOT NULL, by TEXT NOT NULL, ended_at INTEGER, ended_how TEXT
      ) STRICT;
      CREATE TABLE notes (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
        level TEXT NOT NULL, key TEXT NOT NULL, message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX notes_at ON notes (at);
    `,
  },
  {
    version: 2,
    name: "notification outbox, its counters and the episodes told",
    sql: `
      CREATE TABLE notification_outbox (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        event TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        delivered_at INTEGER,
        UNIQUE (event_id, channel)
      ) STRICT;
      CREATE INDEX notification_outbox_due ON notification_outbox (delivered_at, next_attempt_at);
      CREATE TABLE notification_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
      CREATE TABLE notification_episodes (id INTEGER PRIMARY KEY CHECK (id = 1), book TEXT NOT NULL) STRICT;
    `,
  },
  {
    version: 3,
    name: "core memory (ladder, gave-up, announced keys, pod clocks) and actions' monotonic stamps",
    sql: `
      -- CLOCK_MONOTONIC (ms) when the action started, so its budget stamp within the boot is
      -- immune to wall-clock steps; NULL for actions of daemons before this migration.
      ALTER TABLE actions ADD COLUMN mono_at INTEGER;
      -- The decision core's state that must survive a daemon restart: one row, rewritten when it
      -- changes. anchor: the saving daemon's core time minus CLOCK_MONOTONIC, so a daemon of the
      -- same boot converts every time in it exactly, whatever the wall clock did since.
      CREATE TABLE core_memory (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        boot_id TEXT NOT NULL,
        anchor INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        state TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: "history indexes: every history branch walks an index newest first",
    // history() reads each table newest first by the time it shows; without these, the boots,
    // actions and pauses branches sorted their whole table on every call.
    sql: `
      CREATE INDEX boots_first_seen_at ON boots (first_seen_at);
      CREATE INDEX boots_healthy_at ON boots (healthy_at) WHERE healthy_at IS NOT NULL;
      CREATE INDEX actions_shown_at ON actions (COALESCE(finished_at, started_at, planned_at));
      CREATE INDEX pauses_at ON pauses (at);
      CREATE INDEX pauses_ended_at ON pauses (ended_at) WHERE ended_at IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: "maintenance runs, usage samples, data counts, drills",
    sql: `
      CREATE TABLE maintenance_runs (
        id INTEGER PRIMARY KEY, check_name TEXT NOT NULL,
        started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('ok', 'warn', 'crit', 'unknown')),
        reason TEXT NOT NULL, next_command TEXT, findings TEXT NOT NULL DEFAULT '[]', why TEXT NOT NULL
      ) STRICT;
      CREATE INDEX maintenance_runs_check ON maintenance_runs (check_name, id);
      CREATE TABLE usage_samples (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('node', 'pod')), name TEXT NOT NULL,
        cpu_millicores REAL NOT NULL, memory_bytes REAL NOT NULL
      ) STRICT;
      CREATE INDEX usage_samples_at ON usage_samples (at);
      CREATE TABLE data_counts (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, query TEXT NOT NULL, count INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE drills (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, note TEXT NOT NULL, by TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/** Thrown when the file was written by a newer songnodes-watchdog (or is not a journal at all). */
export class JournalVersionError extends Error {
  override name = "JournalVersionError";
}

/** Brings the schema up to the newest version; returns the versions it applied. */
export function migrate(db: Database.Database, path: string, now: number): number[] {
  const current = db.pragma("user_version", { simple: true }) as number;
  const newest = MIGRATIONS.length;
  if (current > newest) {
    throw new JournalVersionError(
      `journal ${path} has schema version ${current}, but this songnodes-watchdog knows versions up to ${newest}: ` +
        `it was written by a newer release; upgrade the daemon, or move the file aside to start a fresh journal`,
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS.slice(current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        now,
      );
      // user_version cannot take a bound parameter; the value is our own integer.
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
