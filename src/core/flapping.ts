// The flapping symptom: k3s failed `flapping.failures` times within `flapping.window`, each spell
// too short for k3s-down's hold-off or inside its start budget, so nothing else ever becomes due.
// It needs a failure of a k3s that had come up again since the family's last remedy: a remedy
// answers the failures before it (and the failing starts right after it), and a k3s that is fine
// after its restart is not flapping any more.
// It is due only between two attempts (k3s failed and not starting again yet, e.g. systemd's
// auto-restart wait): a flapping k3s that is up at this look may have stopped flapping, restarting a
// k3s that runs is the very disruption a watchdog must not add, and a start attempt within its
// budget is never interrupted. The next failure, seen as it happens (D-Bus wakes the loop), is the
// moment to act.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import type { SymptomFinding } from "./symptoms.js";
import type { ActionStamp, K3sFailures } from "./types.js";

/** The flapping finding at `now`, or null. */
export function findFlapping(policy: Config, failures: K3sFailures, actions: readonly ActionStamp[], now: number, failingNow = true): SymptomFinding | null {
  const { failures: threshold, window } = policy.flapping;
  const counted = failures.at.filter((t) => t > now - window);
  if (counted.length < threshold) return null;
  const lastRemedy = Math.max(-Infinity, ...actions.filter((a) => a.kind === "restart-k3s" || a.kind === "killall-k3s").map((a) => a.at));
  const upAgain = Math.min(Infinity, ...failures.ups.filter((t) => t > lastRemedy));
  if (!counted.some((t) => t > upAgain)) return null;
  return {
    symptom: "k3s-flapping",
    since: Math.min(...counted),
    due: failingNow,
    // Up now: nothing runs out by itself; the count ages out of its window then.
    dueAt: failingNow ? now : Math.min(...counted) + window,
    why: `k3s failed ${counted.length} times in ${formatDuration(window)}`,
  };
}

/** How long an episode's family must stay clear before it ends: a flap is cured only by a calm window. */
export function clearHold(policy: Config, symptom: string): number {
  return symptom === "k3s-flapping" ? Math.max(policy.timing.healthyHold, policy.flapping.window) : policy.timing.healthyHold;
}
