// Keeps the journal small: rows older than the retention go; if the file is still over its size
// limit, the oldest observation changes go first (the most numerous and least precious rows), then
// the oldest of everything else. The current boot's actions and the active pause always stay: the
// budgets and the maintenance mode depend on them.
import type Database from "better-sqlite3";
import type { PruneLimits } from "./types.js";

// Rows of every table but observation_changes that may go when the file is too big, oldest first.
const OTHERS = `
  SELECT 'phase_transitions' AS tbl, id, at FROM phase_transitions
  UNION ALL SELECT 'notes', id, at FROM notes
  UNION ALL SELECT 'actions', id, COALESCE(finished_at, started_at, planned_at) FROM actions
    WHERE boot_id IS NOT @boot
  UNION ALL SELECT 'pauses', id, COALESCE(ended_at, until) FROM pauses WHERE COALESCE(ended_at, until) <= @now
  UNION ALL SELECT 'boots', id, first_seen_at FROM boots WHERE boot_id IS NOT @boot`;

const TABLES = ["phase_transitions", "notes", "actions", "pauses", "boots"] as const;

/** The pruning pass; `currentBoot` names the boot whose actions must stay. */
export function createPruner(db: Database.Database, currentBoot: () => string | null) {
  const newestBoot = db.prepare("SELECT boot_id FROM boots ORDER BY first_seen_at DESC, id DESC LIMIT 1").pluck();
  const byAge = [
    db.prepare("DELETE FROM observation_changes WHERE at < @cutoff"),
    db.prepare("DELETE FROM phase_transitions WHERE at < @cutoff"),
    db.prepare("DELETE FROM notes WHERE at < @cutoff"),
    db.prepare("DELETE FROM actions WHERE COALESCE(finished_at, started_at, planned_at) < @cutoff AND boot_id IS NOT @boot"),
    // An open pause past its `until` has expired; the active one has until > now > cutoff and stays.
    db.prepare("DELETE FROM pauses WHERE COALESCE(ended_at, until) < @cutoff"),
    db.prepare("DELETE FROM boots WHERE first_seen_at < @cutoff AND boot_id IS NOT @boot"),
  ];
  const observationCount = db.prepare("SELECT count(*) FROM observation_changes").pluck();
  const oldestObservations = db.prepare(
    "DELETE FROM observation_changes WHERE id IN (SELECT id FROM observation_changes ORDER BY at, id LIMIT ?)",
  );
  const oldestOthers = db.prepare(`SELECT tbl, id FROM (${OTHERS}) ORDER BY at, id LIMIT @limit`);
  const deleteById = Object.fromEntries(
    TABLES.map((table) => [table, db.prepare(`DELETE FROM ${table} WHERE id = ?`)]),
  ) as Record<(typeof TABLES)[number], Database.Statement>;

  const usedBytes = () => {
    const pages = (db.pragma("page_count", { simple: true }) as number) - (db.pragma("freelist_count", { simple: true }) as number);
    return pages * (db.pragma("page_size", { simple: true }) as number);
  };
  const deleteOthers = db.transaction((boot: string | null, now: number, limit: number) => {
    const rows = oldestOthers.all({ boot, now, limit }) as Array<{ tbl: (typeof TABLES)[number]; id: number }>;
    for (const row of rows) deleteById[row.tbl].run(row.id);
    return rows.length;
  });

  return {
    /** Deletes what is past retention, then shrinks to `maxBytes`; returns how many rows went. */
    prune(now: number, limits: PruneLimits): number {
      const boot = currentBoot() ?? ((newestBoot.get() as string | undefined) ?? null);
      const cutoff = now - limits.retentionMs;
      let removed = db.transaction(() => byAge.reduce((sum, statement) => sum + statement.run({ cutoff, boot }).changes, 0))();
      for (let used = usedBytes(); used > limits.maxBytes; used = usedBytes()) {
        // Delete in proportion to the excess (at least 200 rows), so a big file shrinks in few passes.
        const share = (used - limits.maxBytes) / used;
        const count = observationCount.get() as number;
        let batch = count > 0 ? oldestObservations.run(Math.max(200, Math.ceil(count * share))).changes : 0;
        if (batch === 0) batch = deleteOthers(boot, now, 200);
        if (batch === 0) break; // only the current boot's actions and the active pause are left
        removed += batch;
      }
      if (removed > 0) shrinkFile(db);
      return removed;
    },
  };
}

// Give freed pages back to the file system. A journal created by this daemon uses incremental
// auto-vacuum (cheap, no rewrite); an older file without it gets one full VACUUM.
function shrinkFile(db: Database.Database): void {
  const mode = db.pragma("auto_vacuum", { simple: true }) as number;
  if (mode === 2) db.pragma("incremental_vacuum");
  else if ((db.pragma("freelist_count", { simple: true }) as number) > 0) db.exec("VACUUM");
  if (db.pragma("journal_mode", { simple: true }) === "wal") db.pragma("wal_checkpoint(TRUNCATE)");
}
