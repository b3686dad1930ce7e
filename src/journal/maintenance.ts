// The maintenance checks' memory: each run's result (its start is the check's "last run" for the
// anacron catch-up), the hourly usage samples, the data-integrity counts and the recorded drills.
import type Database from "better-sqlite3";
import type { Finding, MaintenanceLevel } from "../maintenance/types.js";

/** One run of one check as recorded. */
export interface MaintenanceRun {
  check: string;
  startedAt: number;
  finishedAt: number;
  level: MaintenanceLevel;
  reason: string;
  next: string | null;
  findings: Finding[];
  /** "scheduled", "catch-up", "first run", "by operator". */
  why: string;
}

/** One usage sample of a node or a pod. */
export interface UsageSample {
  at: number;
  kind: "node" | "pod";
  name: string;
  cpuMillicores: number;
  memoryBytes: number;
}

/** The maintenance tables, as the scheduler, the checks and the CLI use them. */
export interface MaintenanceStore {
  recordRun(run: MaintenanceRun): void;
  /** The newest run of each check, by name. */
  lastRuns(): Map<string, MaintenanceRun>;
  /** The newest run of `check` that looked (not an unknown without findings), or null. */
  lastLookedRun(check: string): MaintenanceRun | null;
  recordSamples(samples: readonly UsageSample[]): void;
  samplesSince(since: number): UsageSample[];
  pruneSamples(before: number): number;
  recordCount(query: string, count: number, at: number): void;
  /** The newest count of `query`, before the one just recorded when `skip` is 1. */
  lastCount(query: string, skip?: number): { at: number; count: number } | null;
  recordDrill(note: string, by: string, at: number): void;
  lastDrill(): { at: number; note: string; by: string } | null;
}

interface RunRow {
  check_name: string; started_at: number; finished_at: number; level: MaintenanceLevel;
  reason: string; next_command: string | null; findings: string; why: string;
}

function parseFindings(text: string): Finding[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as Finding[]) : [];
  } catch {
    return [];
  }
}

function fromRow(r: RunRow): MaintenanceRun {
  return {
    check: r.check_name, startedAt: r.started_at, finishedAt: r.finished_at, level: r.level, reason: r.reason,
    next: r.next_command, findings: parseFindings(r.findings), why: r.why,
  };
}

/** Queries on the maintenance tables. */
export function createMaintenanceQueries(db: Database.Database): MaintenanceStore {
  const insertRun = db.prepare("INSERT INTO maintenance_runs (check_name, started_at, finished_at, level, reason, next_command, findings, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const latestRuns = db.prepare("SELECT * FROM maintenance_runs WHERE id IN (SELECT max(id) FROM maintenance_runs GROUP BY check_name)");
  // A run that could not look is `unknown` with no findings (cannotLook, a timeout, a thrown check).
  const latestLooked = db.prepare("SELECT * FROM maintenance_runs WHERE check_name = ? AND NOT (level = 'unknown' AND findings = '[]') ORDER BY id DESC LIMIT 1");
  const insertSample = db.prepare("INSERT INTO usage_samples (at, kind, name, cpu_millicores, memory_bytes) VALUES (?, ?, ?, ?, ?)");
  const selectSamples = db.prepare("SELECT at, kind, name, cpu_millicores AS cpuMillicores, memory_bytes AS memoryBytes FROM usage_samples WHERE at >= ? ORDER BY at");
  const deleteSamples = db.prepare("DELETE FROM usage_samples WHERE at < ?");
  const insertCount = db.prepare("INSERT INTO data_counts (at, query, count) VALUES (?, ?, ?)");
  const selectCount = db.prepare("SELECT at, count FROM data_counts WHERE query = ? ORDER BY id DESC LIMIT 1 OFFSET ?");
  const insertDrill = db.prepare("INSERT INTO drills (at, note, by) VALUES (?, ?, ?)");
  const selectDrill = db.prepare("SELECT at, note, by FROM drills ORDER BY at DESC, id DESC LIMIT 1");
  const addSamples = db.transaction((samples: readonly UsageSample[]) => {
    for (const s of samples) insertSample.run(s.at, s.kind, s.name, s.cpuMillicores, s.memoryBytes);
  });
  return {
    recordRun(run) {
      insertRun.run(run.check, run.startedAt, run.finishedAt, run.level, run.reason, run.next, JSON.stringify(run.findings), run.why);
    },
    lastRuns() {
      const rows = latestRuns.all() as RunRow[];
      return new Map(rows.map((r) => [r.check_name, fromRow(r)]));
    },
    lastLookedRun(check) {
      const row = latestLooked.get(check) as RunRow | undefined;
      return row ? fromRow(row) : null;
    },
    recordSamples: (samples) => addSamples(samples),
    samplesSince: (since) => selectSamples.all(since) as UsageSample[],
    pruneSamples: (before) => deleteSamples.run(before).changes,
    recordCount: (query, count, at) => void insertCount.run(at, query, count),
    lastCount: (query, skip = 0) => (selectCount.get(query, skip) as { at: number; count: number } | undefined) ?? null,
    recordDrill: (note, by, at) => void insertDrill.run(at, note, by),
    lastDrill: () => (selectDrill.get() as { at: number; note: string; by: string } | undefined) ?? null,
  };
}
