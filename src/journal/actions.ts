// Remedies, written before they run (planned, then started) and after (finished), so a daemon killed
// mid-action leaves an honest row that the next start marks interrupted. The sliding-window budgets
// (docs/design.md §4) are counted from this table, so they survive daemon restarts and reboots.
import type Database from "better-sqlite3";
import type { ActionStamp, RemedyKind } from "../core/types.js";
import type { ActionCount, ActionOutcomeKind, ActionRecord, StoredStamp } from "./types.js";

interface ActionRow {
  id: number;
  kind: RemedyKind;
  why: string;
  planned_at: number;
  started_at: number | null;
  finished_at: number | null;
  outcome: ActionOutcomeKind;
  detail: string;
  touched: string;
  boot_id: string;
  dry_run: 0 | 1;
}

/** Turns a stored row into the public record. */
export function toActionRecord(row: ActionRow): ActionRecord {
  return {
    id: row.id,
    kind: row.kind,
    why: row.why,
    plannedAt: row.planned_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    detail: row.detail,
    touched: parseTouched(row.touched),
    bootId: row.boot_id,
    dryRun: row.dry_run === 1,
  };
}

function parseTouched(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * Which rows count against a budget: a remedy that started (finished or not: an interrupted restart
 * may well have restarted k3s) and a dry-run plan (what the core would have done). A row planned but
 * never started did nothing, so it does not count. Shared with prune and history.
 */
export const COUNTS_AGAINST_BUDGET = "(started_at IS NOT NULL OR finished_at IS NOT NULL OR dry_run = 1)";
/** The moment a stamp is taken at: when the remedy started, else when it was planned. */
export const STAMP_AT = "COALESCE(started_at, finished_at, planned_at)";

/** Queries on the actions table; `currentBoot` names the boot new rows belong to. */
export function createActionQueries(db: Database.Database, currentBoot: () => string | null) {
  // Without a boot recorded in this run, fall back to the newest boot known, then to "unknown".
  const plan = db.prepare(`
    INSERT INTO actions (kind, why, planned_at, outcome, boot_id, dry_run)
    VALUES (@kind, @why, @at, @outcome,
      COALESCE(@bootId, (SELECT boot_id FROM boots ORDER BY first_seen_at DESC, id DESC LIMIT 1), 'unknown'),
      @dryRun)`);
  const start = db.prepare(`
    UPDATE actions SET started_at = ?, mono_at = ?, outcome = CASE WHEN dry_run = 1 THEN 'dry-run' ELSE 'started' END
    WHERE id = ? AND started_at IS NULL AND outcome IN ('planned', 'dry-run')`);
  const finish = db.prepare(`
    UPDATE actions SET finished_at = @at, detail = @detail, touched = @touched,
      outcome = CASE WHEN dry_run = 1 THEN 'dry-run' WHEN @ok = 1 THEN 'succeeded' ELSE 'failed' END
    WHERE id = @id AND finished_at IS NULL`);
  const interrupt = db.prepare(`
    UPDATE actions SET outcome = 'interrupted',
      detail = CASE WHEN started_at IS NULL
        THEN 'the daemon stopped after planning it, before it started; found at start-up ' || @found
        ELSE 'the daemon stopped while it ran; found at start-up ' || @found END
    WHERE outcome IN ('planned', 'started') AND dry_run = 0`);
  const stamps = db.prepare(`
    SELECT kind, ${STAMP_AT} AS at FROM actions
    WHERE ${COUNTS_AGAINST_BUDGET} AND ${STAMP_AT} >= ?
    ORDER BY at, id`);
  const stored = db.prepare(`
    SELECT kind, ${STAMP_AT} AS at, boot_id AS bootId, mono_at AS monoAt FROM actions
    WHERE ${COUNTS_AGAINST_BUDGET} AND (${STAMP_AT} >= @since OR boot_id = @bootId)
    ORDER BY at, id`);
  const last = db.prepare("SELECT * FROM actions ORDER BY id DESC LIMIT 1");
  const counts = db.prepare("SELECT kind, outcome, COUNT(*) AS count FROM actions GROUP BY kind, outcome ORDER BY kind, outcome");
  return {
    /** Writes the row before anything happens; a dry-run row is final at once. Returns its id. */
    planAction(kind: RemedyKind, why: string, at: number, dryRun: boolean): number {
      const outcome: ActionOutcomeKind = dryRun ? "dry-run" : "planned";
      const result = plan.run({ kind, why, at, outcome, bootId: currentBoot(), dryRun: dryRun ? 1 : 0 });
      return Number(result.lastInsertRowid);
    },
    /** Written just before the remedy runs: from here on it counts against its budget. Once only. */
    startAction(id: number, at: number, monoAt: number | null = null): void {
      start.run(at, monoAt === null ? null : Math.round(monoAt), id);
    },
    /** Written when the remedy returned (or timed out). Once only: the first outcome stands. */
    finishAction(id: number, at: number, ok: boolean, detail: string, touched: readonly string[]): void {
      finish.run({ id, at, ok: ok ? 1 : 0, detail, touched: JSON.stringify(touched) });
    },
    /** Run at start-up: every action left planned or started by a dead daemon becomes interrupted. */
    markInterrupted(at: number): number {
      return interrupt.run({ found: new Date(at).toISOString() }).changes;
    },
    /** Stamps for the sliding-window budgets, oldest first, from `since` on. */
    actionStamps(since: number): ActionStamp[] {
      return stamps.all(since) as ActionStamp[];
    },
    /** Budget stamps with their boot and monotonic stamp (the loop converts them to core time). */
    storedStamps(since: number, bootId: string): StoredStamp[] {
      return stored.all({ since, bootId }) as StoredStamp[];
    },
    /** How many actions of each kind ended each way (what the journal still holds), for /metrics. */
    actionCounts(): ActionCount[] {
      return counts.all() as ActionCount[];
    },
    /** The newest action, whatever its outcome. */
    lastAction(): ActionRecord | null {
      const row = last.get() as ActionRow | undefined;
      return row === undefined ? null : toActionRecord(row);
    },
  };
}
