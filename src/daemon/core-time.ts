// The decision core's time and memory at start-up. The core decides on the monotonic clock,
// anchored once at start to read like wall time ("core time"), so an NTP step of the wall clock
// moves no hold-off, verification window or budget. What must outlive the daemon is converted:
// a stamp of this boot through its monotonic reading (exact), one of another boot through its wall
// time, never later than now (a stamp "in the future" after the clock went back still counts).
import type { Config } from "../config/schema.js";
import { restoreMemory } from "../core/memory.js";
import type { CoreState } from "../core/types.js";
import type { Journal, StoredStamp } from "../journal/types.js";
import type { Clock, Logger } from "../ports.js";

/** Core time for one daemon run. */
export interface CoreTime {
  /** The clock has a monotonic reading (without one, core time is wall time). */
  hasMonotonic: boolean;
  /** Core time minus the monotonic clock. */
  anchor: number;
  monotonic(): number;
  core(): number;
  /** A stored budget stamp on this run's core time. */
  stampToCore(stamp: StoredStamp, bootId: string): number;
}

/** Anchor core time at the clock's readings now. */
export function createCoreTime(clock: Clock): CoreTime {
  const hasMonotonic = typeof clock.monotonic === "function";
  const monotonic = () => (hasMonotonic ? (clock.monotonic as () => number)() : clock.now());
  const anchor = hasMonotonic ? clock.now() - monotonic() : 0;
  const start = anchor + monotonic();
  return {
    hasMonotonic,
    anchor,
    monotonic,
    core: () => anchor + monotonic(),
    stampToCore(stamp, bootId) {
      if (hasMonotonic && stamp.bootId === bootId && stamp.monoAt !== null) return anchor + stamp.monoAt;
      return Math.min(stamp.at, start);
    },
  };
}

/** The fresh state with the journal's core memory restored over it; says what it restored. */
export function restoreCoreState(config: Config, journal: Journal, base: CoreState, at: { bootId: string; anchor: number; now: number; logger: Logger }): CoreState {
  const { record, problem } = journal.loadCoreMemory();
  if (problem !== null) at.logger.warn(problem);
  if (record === null) return base;
  const sameBoot = record.bootId === at.bootId;
  const { state, notes } = restoreMemory(config, base, record.state, { sameBoot, shift: at.anchor - record.anchor, now: at.now });
  for (const note of notes) at.logger.warn(note);
  const kept = [
    state.ladder ? `the ${state.ladder.symptom} ladder at rung ${state.ladder.rung + 1}` : null,
    state.gaveUp ? `gave-up on ${state.gaveUp.symptom}` : null,
    Object.keys(state.announced).length > 0 ? `${Object.keys(state.announced).length} announcement(s) already made` : null,
  ].filter((part): part is string => part !== null);
  if (kept.length > 0) at.logger.info(`restored from the journal (${sameBoot ? "same boot" : "an earlier boot"}): ${kept.join(", ")}`);
  return state;
}
