// When k3s's current start attempt began, and when it last became active, on the core's time.
// systemd stamps both clocks; within a boot the monotonic stamp is used, since an NTP step moves
// the wall stamps (a +2h step right after boot made a 10 s old start look 2 h old).
//
// A start attempt counts from the latest evidence that it began: its process started
// (ExecMainStartTimestamp), or the daemon saw SubState become `start`, or the unit left inactive
// (InactiveExitTimestamp). InactiveExit alone is stamped when the unit enters auto-restart,
// RestartSec before the process starts (an 88 s start after a crash would be killed at 85 s of a
// 90 s budget), and under RestartMode=direct it is not stamped again at all.
import type { K3sUnitDetail } from "./types.js";

/** The readings of the clocks taken with `now` (the core's time). */
export interface Clocks {
  /** CLOCK_MONOTONIC at `now`, ms. */
  monotonic?: number;
  /** The wall clock at `now`. */
  wallNow?: number;
}

export interface UnitTimes {
  /** When the current start attempt began, or null when systemd gives no stamp. */
  attemptAt: number | null;
  /** When the unit last became active, or null. */
  activeAt: number | null;
}

/** The unit's stamps on core time; `startSeenAt` is when the daemon saw SubState become `start` (core time). */
export function unitTimes(detail: K3sUnitDetail, now: number, clocks: Clocks, startSeenAt: number | null): UnitTimes {
  const { monotonic, wallNow } = clocks;
  const fromMono = (t: number | null | undefined) => (monotonic === undefined || t == null ? null : now - (monotonic - t));
  const fromWall = (t: number | null | undefined) => (t == null ? null : wallNow === undefined ? t : t - wallNow + now);
  const either = (mono: number | null | undefined, wall: number | null | undefined) => fromMono(mono) ?? fromWall(wall);
  const evidence = [either(detail.execMainStartMono, detail.execMainStartAt), either(detail.inactiveExitMono, detail.inactiveExitAt), startSeenAt].filter((t): t is number => t !== null);
  return {
    attemptAt: evidence.length === 0 ? null : Math.max(...evidence),
    activeAt: either(detail.activeEnterMono, detail.activeEnterAt),
  };
}
