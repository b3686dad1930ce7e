// Counting k3s's failures for the flapping symptom. Two sources, so neither blind spot hides a
// flap: systemd's NRestarts (every automatic restart, even one that happened between two looks)
// and a crash the daemon saw itself (active, then not, with a Result other than success). A crash
// is seen first and counted by NRestarts RestartSec later: the later count is not added twice.
// A stop (Result success: the daemon's own remedy, an operator) is not a failure.
import type { Config } from "../config/schema.js";
import { STARTING } from "./symptoms.js";
import type { K3sFailures, K3sUnitDetail, Observation } from "./types.js";

// One reading can add at most this many: NRestarts after a long blindness says "many", not "how many now".
const MAX_PER_READING = 100;

/** The failure count after this step's reading of the unit. */
export function countK3sFailures(policy: Config, prev: K3sFailures, unit: Observation<K3sUnitDetail>, now: number): K3sFailures {
  const windowStart = now - policy.flapping.window;
  // A failure stamped in the future (a clock that went back) still counts until it ages out.
  let at = prev.at.filter((t) => t > windowStart);
  const ups = prev.ups.filter((t) => t > windowStart);
  if (unit.status === "unknown" || unit.detail === null) return { ...prev, at, ups };
  let { seenNotCounted } = prev;
  const ok = unit.status === "ok";
  const crashed = prev.unitOk === true && !ok && unit.detail.result !== "success";
  if (crashed) {
    at = [...at, now];
    seenNotCounted += 1;
  }
  const restarts = unit.detail.restarts;
  // NRestarts goes down when systemd flushes it (a manual start, reset-failed, a reboot): a new base.
  if (restarts !== null && prev.restarts !== null && restarts > prev.restarts) {
    const added = Math.min(restarts - prev.restarts, MAX_PER_READING);
    const already = Math.min(added, seenNotCounted);
    seenNotCounted -= already;
    at = [...at, ...Array.from({ length: added - already }, () => now)];
  }
  // A crash NRestarts never counts (Restart= off, start limit) is forgotten once k3s runs again.
  if (ok) seenNotCounted = 0;
  if (ok && prev.unitOk !== true) ups.push(now);
  return { at, restarts: restarts ?? prev.restarts, unitOk: ok, ups, seenNotCounted, startSeenAt: startSeen(prev, unit.detail, now), lastSubState: unit.detail.subState };
}

/**
 * The moment SubState became a starting one, when the daemon saw it happen: the previous look was
 * not starting, or NRestarts rose since (a new attempt began between two looks). Unknown (null) on
 * the daemon's first look at a unit already starting: then systemd's own stamps decide.
 */
function startSeen(prev: K3sFailures, detail: K3sUnitDetail, now: number): number | null {
  if (!STARTING.has(detail.subState)) return null;
  const newAttempt = detail.restarts !== null && prev.restarts !== null && detail.restarts > prev.restarts;
  if (newAttempt) return now;
  if (prev.startSeenAt != null) return prev.startSeenAt;
  return prev.lastSubState != null && !STARTING.has(prev.lastSubState) ? now : null;
}
