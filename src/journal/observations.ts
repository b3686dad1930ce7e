// Probe readings, recorded only when they change: a probe that says the same thing every 5 s would
// otherwise fill the file with nothing new.
import type Database from "better-sqlite3";
import type { Health, ProbeName } from "../core/types.js";

/** Queries on the observation_changes table. */
export function createObservationQueries(db: Database.Database) {
  // One statement: insert unless the probe's last recorded row says the same status and reason.
  const insertIfChanged = db.prepare(`
    INSERT INTO observation_changes (at, probe, status, reason)
    SELECT @at, @probe, @status, @reason
    WHERE NOT EXISTS (
      SELECT 1 FROM (
        SELECT status, reason FROM observation_changes WHERE probe = @probe ORDER BY id DESC LIMIT 1
      ) AS last
      WHERE last.status = @status AND last.reason = @reason
    )`);
  return {
    /**
     * Records a reading when its status or reason differs from the probe's last recorded one;
     * returns whether a row was written. Reasons should not carry ticking counters ("for 45s").
     */
    recordObservation(probe: ProbeName, status: Health, reason: string, at: number): boolean {
      return insertIfChanged.run({ at, probe, status, reason }).changes === 1;
    },
  };
}
