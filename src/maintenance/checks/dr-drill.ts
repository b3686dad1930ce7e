// Monthly: when the restore procedure was last tested. `songnodes-watchdog drill --done "note"`
// records a drill; none, or one older than the configured age, is a warn.
import { formatDuration } from "../../config/duration.js";
import type { MaintenanceStore } from "../../journal/maintenance.js";
import { fromFindings, type CheckResult, type MaintenanceCheck } from "../types.js";

const NEXT = 'restore the newest backup into a scratch database, then: songnodes-watchdog drill --done "restored DUMP, N tracks"';

/** Judge the last drill. */
export function interpretDrill(last: { at: number; note: string } | null, now: number, maxAgeMs: number): CheckResult {
  if (last === null) return fromFindings([{ key: "drill:never", level: "warn", text: "no disaster-recovery drill on record", next: NEXT }], "");
  const age = now - last.at;
  if (age > maxAgeMs) return fromFindings([{ key: "drill:stale", level: "warn", text: `the last disaster-recovery drill was ${formatDuration(age)} ago (more than ${formatDuration(maxAgeMs)}): ${last.note}`, next: NEXT }], "");
  return fromFindings([], `last disaster-recovery drill ${formatDuration(age)} ago: ${last.note}`);
}

/** The check. */
export function createDrillCheck(deps: { store: MaintenanceStore; now: () => number; maxAgeMs: number }): MaintenanceCheck {
  return {
    name: "dr-drill",
    cadence: "monthly",
    run: async () => interpretDrill(deps.store.lastDrill(), deps.now(), deps.maxAgeMs),
  };
}
