// `history`: one list, newest first, merged across the journal's tables. Each table contributes rows
// of (kind, id, at, detail JSON) through one UNION ALL; the summary is written in TypeScript.
import type Database from "better-sqlite3";
import { summarize } from "./summary.js";
import type { HistoryEntry, HistoryFilter, HistoryKind } from "./types.js";

const DEFAULT_LIMIT = 100;

// Boots and pauses contribute a second line when they reached their end (healthy, ended). `rank`
// orders lines of the same millisecond the way they happen: a boot is seen before anything else,
// a pause ends before the next one starts, an observation comes before the phase change it causes.
const MERGED = `
  SELECT 'boot' AS kind, id, first_seen_at AS at, 0 AS rank,
    json_object('event', 'first-seen', 'bootId', boot_id) AS detail FROM boots
  UNION ALL SELECT 'boot', id, healthy_at, 7,
    json_object('event', 'healthy', 'bootId', boot_id, 'firstSeenAt', first_seen_at,
      'timeToHealthyMs', healthy_at - first_seen_at) FROM boots WHERE healthy_at IS NOT NULL
  UNION ALL SELECT 'phase', id, at, 5,
    json_object('from', from_phase, 'to', to_phase, 'why', why) FROM phase_transitions
  UNION ALL SELECT 'observation', id, at, 3,
    json_object('probe', probe, 'status', status, 'reason', reason) FROM observation_changes
  UNION ALL SELECT 'action', id, COALESCE(finished_at, started_at, planned_at), 4,
    json_object('actionId', id, 'kind', kind, 'why', why, 'plannedAt', planned_at, 'startedAt', started_at,
      'finishedAt', finished_at, 'outcome', outcome, 'detail', detail, 'touched', json(touched),
      'bootId', boot_id, 'dryRun', json(CASE dry_run WHEN 1 THEN 'true' ELSE 'false' END)) FROM actions
  UNION ALL SELECT 'pause', id, at, 2,
    json_object('event', 'paused', 'at', at, 'until', until, 'reason', reason, 'by', by) FROM pauses
  UNION ALL SELECT 'pause', id, ended_at, 1,
    json_object('event', 'ended', 'at', at, 'until', until, 'reason', reason, 'by', by,
      'endedHow', ended_how) FROM pauses WHERE ended_at IS NOT NULL
  UNION ALL SELECT 'note', id, at, 6,
    json_object('level', level, 'key', key, 'message', message) FROM notes`;

interface MergedRow {
  kind: HistoryKind;
  id: number;
  at: number;
  detail: string;
}

/** The merged history query. */
export function createHistoryQueries(db: Database.Database) {
  const select = db.prepare(`
    SELECT kind, id, at, detail FROM (${MERGED})
    WHERE (@since IS NULL OR at >= @since) AND (@kind IS NULL OR kind = @kind)
    ORDER BY at DESC, rank DESC, id DESC LIMIT @limit`);
  return {
    /** Newest first; by default the last 100 entries of every kind. */
    history(filter: HistoryFilter = {}): HistoryEntry[] {
      const limit = filter.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`history limit must be a whole number ≥ 0, got ${limit}`);
      const rows = select.all({ since: filter.since ?? null, kind: filter.kind ?? null, limit }) as MergedRow[];
      return rows.map((row) => {
        const detail = JSON.parse(row.detail) as Record<string, unknown>;
        return { id: row.id, at: row.at, kind: row.kind, summary: summarize(row.kind, detail), detail };
      });
    },
  };
}
