// Boots: one row per machine boot (the kernel's boot id), with when the daemon first saw it and when
// the node first became healthy after it. The difference is the boot's time to recovery.
import type Database from "better-sqlite3";
import type { BootRecord } from "./types.js";

interface BootRow {
  boot_id: string;
  first_seen_at: number;
  healthy_at: number | null;
}

/** Queries on the boots table. */
export function createBootQueries(db: Database.Database) {
  // INSERT OR IGNORE: a daemon restart within the same boot keeps the boot's first sighting.
  const insert = db.prepare("INSERT OR IGNORE INTO boots (boot_id, first_seen_at) VALUES (?, ?)");
  // Only the first healthy moment counts: a later flap must not move the boot's time to recovery.
  const healthy = db.prepare("UPDATE boots SET healthy_at = ? WHERE boot_id = ? AND healthy_at IS NULL");
  const latest = db.prepare("SELECT boot_id, first_seen_at, healthy_at FROM boots ORDER BY first_seen_at DESC, id DESC LIMIT ?");
  return {
    /** Records a boot the first time it is seen; returns false when it was already known. */
    recordBoot(bootId: string, at: number): boolean {
      return insert.run(bootId, at).changes === 1;
    },
    /** Marks the boot healthy, the first time only; returns false when it already was (or is unknown). */
    markBootHealthy(bootId: string, at: number): boolean {
      return healthy.run(at, bootId).changes === 1;
    },
    /** The newest boots first. */
    boots(limit: number): BootRecord[] {
      return (latest.all(limit) as BootRow[]).map((row) => ({
        bootId: row.boot_id,
        firstSeenAt: row.first_seen_at,
        healthyAt: row.healthy_at,
        timeToHealthyMs: row.healthy_at === null ? null : row.healthy_at - row.first_seen_at,
      }));
    },
  };
}
