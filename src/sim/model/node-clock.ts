// The node's two clocks. The wall clock (CLOCK_REALTIME) is node time plus an offset that a
// `clock-jump` fault moves, as an NTP step does on a board without a real-time clock; the
// monotonic clock (CLOCK_MONOTONIC) only ever runs forward with node time. systemd stamps units on
// both; the daemon measures ages on the second.
import type { NodeClocks } from "./k3s-unit.js";
import type { Scheduler } from "./scheduler.js";

/** The node's clocks, and the step that moves the wall clock. */
export interface NodeClock extends NodeClocks {
  /** Step the wall clock by `byMs` (negative: back); monotonic time is not touched. */
  jump(byMs: number): void;
  /** How far the wall clock is from node time now (the sum of the jumps). */
  offset(): number;
  /** What the wall clock read at node time `t` (before a later jump, the offset then). */
  wallAt(t: number): number;
}

// Monotonic time is counted from a boot well before the scenario: a machine up a while.
const UPTIME_AT_CREATION_MS = 3_600_000;

/** The clocks of a node whose scheduler starts at `createdAt`. */
export function createNodeClock(scheduler: Scheduler, createdAt: number): NodeClock {
  let offset = 0;
  // Each jump: from node time `at` on, the wall clock is node time + `offset`.
  const history: { at: number; offset: number }[] = [];
  return {
    wall: () => scheduler.now() + offset,
    monotonic: () => scheduler.now() - createdAt + UPTIME_AT_CREATION_MS,
    jump(byMs) {
      offset += byMs;
      history.push({ at: scheduler.now(), offset });
    },
    offset: () => offset,
    wallAt(t) {
      let then = 0;
      for (const step of history) if (step.at <= t) then = step.offset;
      return t + then;
    },
  };
}
