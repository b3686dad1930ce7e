// Phase transitions of the boot state machine (docs/design.md §2), with the core's reason for each.
import type Database from "better-sqlite3";
import type { Phase } from "../core/types.js";

/** Queries on the phase_transitions table. */
export function createPhaseQueries(db: Database.Database) {
  const insert = db.prepare("INSERT INTO phase_transitions (at, from_phase, to_phase, why) VALUES (?, ?, ?, ?)");
  return {
    /** Records one transition; `from` is null for the daemon's first phase. */
    recordPhase(from: Phase | null, to: Phase, at: number, why: string): void {
      insert.run(at, from, to, why);
    },
  };
}
