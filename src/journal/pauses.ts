// Maintenance pauses (`pause --for 30m --reason …`), persisted so a daemon restart stays paused.
import type Database from "better-sqlite3";
import type { PauseRecord } from "./types.js";

/** Queries on the pauses table. */
export function createPauseQueries(db: Database.Database) {
  const endOpen = db.prepare("UPDATE pauses SET ended_at = ?, ended_how = ? WHERE ended_at IS NULL");
  const insert = db.prepare("INSERT INTO pauses (at, until, reason, by) VALUES (?, ?, ?, ?)");
  const active = db.prepare(`
    SELECT until, reason, at, by FROM pauses
    WHERE ended_at IS NULL AND until > ? ORDER BY at DESC, id DESC LIMIT 1`);
  // A new pause replaces an open one: both statements in one transaction, never two open pauses.
  const replace = db.transaction((until: number, reason: string, at: number, by: string) => {
    endOpen.run(at, "replaced by a new pause");
    insert.run(at, until, reason, by);
  });
  return {
    /** Records a pause until `until`, ending any open one. `by` says who asked (cli, control socket). */
    recordPause(until: number, reason: string, at: number, by: string): void {
      replace(until, reason, at, by);
    },
    /** Ends the open pause (`how`: "resumed by cli", "expired"); returns false when none was open. */
    endPause(at: number, how: string): boolean {
      return endOpen.run(at, how).changes > 0;
    },
    /** The pause in force at `now`, or null (an open pause past its `until` has expired). */
    currentPause(now: number): PauseRecord | null {
      return (active.get(now) as PauseRecord | undefined) ?? null;
    },
  };
}
