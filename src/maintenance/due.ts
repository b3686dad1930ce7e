// The scheduler's pure decisions: which checks are due now (anacron semantics), given when each
// last ran and which are running. A check is due when a slot of its schedule has passed, on the
// node's wall clock, since its last run began: a slot missed while the node was down is caught up
// once, however many were missed, and a running check is never started again.
import { previousSlotWall, wallClock, type CronSchedule } from "./cron-slots.js";

/** What the decision needs about one check. */
export interface DueInput {
  name: string;
  schedule: CronSchedule;
  /** When its last run began (ms since the epoch), or null when it never ran. */
  lastRunAt: number | null;
}

/** Why a check is due: its slot at `slotWall` (wall-clock ms), or its first run ever. */
export interface DueCheck {
  name: string;
  why: "first run" | "scheduled" | "catch-up";
  slotWall: number | null;
}

// A slot is "scheduled" when its run starts this close to it; later it is a catch-up.
const ON_TIME_MS = 5 * 60_000;

/** The checks due at `now` in `timeZone`, in the order given, leaving out those in `running`. */
export function dueChecks(checks: readonly DueInput[], now: number, timeZone: string, running: ReadonlySet<string>): DueCheck[] {
  const wallNow = wallClock(now, timeZone);
  const due: DueCheck[] = [];
  for (const check of checks) {
    if (running.has(check.name)) continue;
    const slot = previousSlotWall(check.schedule, wallNow);
    if (check.lastRunAt === null) {
      due.push({ name: check.name, why: "first run", slotWall: slot });
      continue;
    }
    if (slot === null) continue;
    // Compare on the wall clock: the repeated hour of a fall-back shows a wall time already passed.
    if (slot > wallClock(check.lastRunAt, timeZone)) {
      due.push({ name: check.name, why: wallNow - slot <= ON_TIME_MS ? "scheduled" : "catch-up", slotWall: slot });
    }
  }
  return due;
}
