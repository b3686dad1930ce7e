// Stamping readings into observations: `since` is when a probe's status began, carried over while
// the status stays the same. Hold-offs count from it, so it must survive every tick.
import type { Observation, Observations, ProbeName, Reading } from "./types.js";
import { PROBE_NAMES } from "./types.js";

/** One reading of every probe, as the loop gathers them. */
export type Readings = { [K in ProbeName]: Reading<NonNullable<Observations[K]["detail"]>> };

/** Turn this tick's readings into observations, keeping `since` from `previous` while a status holds. */
export function stampObservations(previous: Observations | null, readings: Readings, now: number): Observations {
  const stamped = {} as Record<ProbeName, Observation<unknown>>;
  for (const name of PROBE_NAMES) {
    const reading = readings[name] as Reading<unknown>;
    const before = previous?.[name];
    stamped[name] = { ...reading, since: before !== undefined && before.status === reading.status ? before.since : now };
  }
  return stamped as unknown as Observations;
}

/** The probes whose status changed between two observations (what the journal records). */
export function changedProbes(previous: Observations | null, current: Observations): ProbeName[] {
  return PROBE_NAMES.filter((name) => previous === null || previous[name].status !== current[name].status || previous[name].reason !== current[name].reason);
}
