// The escalation ladder (docs/design.md §3), as data: for each symptom, the remedies in the order they are
// tried. After the last rung, or when a rung's budget is spent, the daemon gives up and asks for a
// human. Symptoms of one family share their episode, so a k3s that goes from "API not ready" to
// "unit failed" after a restart escalates to killall instead of restarting again from the bottom.
import type { RemedyKind, Symptom } from "./types.js";

export type LadderRemedy = Exclude<RemedyKind, "delete-pods">;

/** The ladder. Read it top to bottom: this is the whole escalation policy. */
export const LADDER: Readonly<Record<Symptom, readonly LadderRemedy[]>> = {
  // Runbook "If K3s Fails to Start": restart; then stop, k3s-killall.sh, start.
  "k3s-down": ["restart-k3s", "killall-k3s"],
  // k3s that keeps dying after it came up: the same remedies, one episode for the whole spell.
  "k3s-flapping": ["restart-k3s", "killall-k3s"],
  // Runbook: a missing containerd socket means containerd failed; a plain restart rarely helps.
  "containerd-socket-missing": ["killall-k3s"],
  "api-not-ready": ["restart-k3s", "killall-k3s"],
  "node-not-ready": ["restart-k3s", "killall-k3s"],
  // Runbook "If Pods Stuck in ImagePullBackOff": restart the registry (then the pods are deleted).
  "registry-down": ["restart-registry"],
};

/** Symptoms that share an episode: every k3s symptom is cured by the same remedies. */
export type Family = "k3s" | "registry";

export const FAMILY: Readonly<Record<Symptom, Family>> = {
  "k3s-down": "k3s",
  "k3s-flapping": "k3s",
  "containerd-socket-missing": "k3s",
  "api-not-ready": "k3s",
  "node-not-ready": "k3s",
  "registry-down": "registry",
};

/** When two symptoms are present the first one here is treated: a broken k3s explains the rest. */
export const SYMPTOM_PRIORITY: readonly Symptom[] = [
  "k3s-down",
  // Before the layers below: a k3s that dies every 20 s never gets its API ready, and an API not
  // yet due would hide the flapping.
  "k3s-flapping",
  "containerd-socket-missing",
  "api-not-ready",
  "node-not-ready",
  "registry-down",
];

/**
 * The next remedy for `symptom` when the episode has already reached `rung` (an index into the
 * ladder of the symptom it was climbing for, `takenRemedy` being the remedy at that rung), or null
 * when the ladder is spent.
 */
export function nextRemedy(symptom: Symptom, takenRemedy: LadderRemedy | null): { remedy: LadderRemedy; rung: number } | null {
  const rungs = LADDER[symptom];
  const reached = takenRemedy === null ? -1 : strongestIndex(rungs, takenRemedy);
  const rung = reached + 1;
  const remedy = rungs[rung];
  return remedy === undefined ? null : { remedy, rung };
}

// A remedy missing from this symptom's ladder counts as the rung just below the first stronger one:
// after a k3s restart, a missing containerd socket still gets its killall.
function strongestIndex(rungs: readonly LadderRemedy[], taken: LadderRemedy): number {
  const index = rungs.indexOf(taken);
  if (index >= 0) return index;
  return taken === "killall-k3s" ? rungs.length - 1 : -1;
}
