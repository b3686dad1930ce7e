// `history`: one list, newest first, merged across the journal's tables. Each table contributes rows
// of (kind, id, at, detail JSON) through one UNION ALL; the summary is written in TypeScript.
import type Database from "better-sqlite3";
import { summarize } from "./summary.js";
import type { HistoryEntry, HistoryFilter, HistoryKind } from "./types.js";

const DEFAULT_LIMIT = 100;

// No row is older or newer than these; they stand in for "no since" and "no until", so every
// branch has an index range to walk.
const BEGINNING = -9_007_199_254_740_991;
const END = 9_007_199_254_740_991;

// Boots and pauses contribute a second line when they reached their end (healthy, ended). `rank`
// orders lines of the same millisecond the way they happen: a boot is seen before anything else,
// a pause ends before the next one starts, an observation comes before the phase change it causes.
// Each branch walks its own index newest first and stops after @limit rows, so a query reads at most
// @limit rows per branch however large the journal (the indexes are in MIGRATIONS); the merge then
// sorts those few. A branch whose kind is not asked for is skipped by its constant @kind test.
const BRANCHES: readonly { kind: HistoryKind; at: string; rank: number; from: string; detail: string }[] = [
  { kind: "boot", at: "first_seen_at", rank: 0, from: "boots",
    detail: "json_object('event', 'first-seen', 'bootId', boot_id)" },
  { kind: "boot", at: "healthy_at", rank: 7, from: "boots",
    detail: `json_object('event', 'healthy', 'bootId', boot_id, 'firstSeenAt', first_seen_at,
      'timeToHealthyMs', healthy_at - first_seen_at)` },
  { kind: "phase", at: "at", rank: 5, from: "phase_transitions",
    detail: "json_object('from', from_phase, 'to', to_phase, 'why', why)" },
  { kind: "observation", at: "at", rank: 3, from: "observation_changes",
    detail: "json_object('probe', probe, 'status', status, 'reason', reason)" },
  { kind: "action", at: "COALESCE(finished_at, started_at, planned_at)", rank: 4, from: "actions",
    detail: `json_object('actionId', id, 'kind', kind, 'why', why, 'plannedAt', planned_at, 'startedAt', started_at,
      'finishedAt', finished_at, 'outcome', outcome, 'detail', detail, 'touched', json(touched),
      'bootId', boot_id, 'dryRun', json(CASE dry_run WHEN 1 THEN 'true' ELSE 'false' END))` },
  { kind: "pause", at: "at", rank: 2, from: "pauses",
    detail: "json_object('event', 'paused', 'at', at, 'until', until, 'reason', reason, 'by', by)" },
  { kind: "pause", at: "ended_at", rank: 1, from: "pauses",
    detail: `json_object('event', 'ended', 'at', at, 'until', until, 'reason', reason, 'by', by,
      'endedHow', ended_how)` },
  { kind: "note", at: "at", rank: 6, from: "notes",
    detail: "json_object('level', level, 'key', key, 'message', message)" },
];

const MERGED = BRANCHES.map((branch) => `
  SELECT * FROM (SELECT '${branch.kind}' AS kind, id, ${branch.at} AS at, ${branch.rank} AS rank, ${branch.detail} AS detail
    FROM ${branch.from}
    WHERE (@kind IS NULL OR @kind = '${branch.kind}') AND ${branch.at} BETWEEN @since AND @until
    ORDER BY ${branch.at} DESC, id DESC LIMIT @limit)`).join("\n  UNION ALL");

interface MergedRow {
  kind: HistoryKind;
  id: number;
  at: number;
  detail: string;
}

/** The merged history statement (exported so a test can read SQLite's plan for it). */
export const HISTORY_SQL = `
    SELECT kind, id, at, detail FROM (${MERGED})
    ORDER BY at DESC, rank DESC, id DESC LIMIT @limit`;

/** The merged history query. */
export function createHistoryQueries(db: Database.Database) {
  const select = db.prepare(HISTORY_SQL);
  return {
    /** Newest first; by default the last 100 entries of every kind (the sockets never ask for more than 1000). */
    history(filter: HistoryFilter = {}): HistoryEntry[] {
      const limit = filter.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`history limit must be a whole number ≥ 0, got ${limit}`);
      const rows = select.all({ since: filter.since ?? BEGINNING, until: filter.until ?? END, kind: filter.kind ?? null, limit }) as MergedRow[];
      return rows.map((row) => {
        const detail = JSON.parse(row.detail) as Record<string, unknown>;
        return { id: row.id, at: row.at, kind: row.kind, summary: summarize(row.kind, detail), detail };
      });
    },
  };
}
