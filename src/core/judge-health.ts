// Stage 3 of a step: is the node healthy, and has it been for the healthy hold (hysteresis)? Also
// what the daemon says about probes that cannot look and pods that are slow to converge.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import { progressOf, type Progress } from "./phase.js";
import type { Announcement } from "./pod-triage.js";
import type { CoreState, Observations } from "./types.js";

export interface Health {
  progress: Progress;
  /** Since when every layer has been ok (kept while a probe that cannot tell hides a layer). */
  healthySince: number | null;
  /** Healthy for at least `timing.healthyHold`. */
  healthyHeld: boolean;
  announcements: Announcement[];
}

/** Judge the node's health at `now` from the observations and the previous state. */
export function judgeHealth(policy: Config, prev: Pick<CoreState, "healthySince" | "phase" | "phaseSince">, obs: Observations, now: number): Health {
  const { timing } = policy;
  const progress = progressOf(obs);
  const healthySince = progress.allOk ? (prev.healthySince ?? now) : progress.phase === null ? prev.healthySince : null;
  const healthyHeld = progress.allOk && healthySince !== null && now - healthySince >= timing.healthyHold;
  const announcements: Announcement[] = [];
  for (const blind of progress.cannotTell) {
    if (now - blind.since >= timing.k3sHoldOff) {
      announcements.push({ level: "warning", key: `cannot-tell:${blind.probe}`, message: `probe ${blind.probe} cannot tell for ${formatDuration(now - blind.since)}: ${blind.reason}; no remedy is taken on a probe that cannot look` });
    }
  }
  if (podsSlow(policy, prev, progress, now)) {
    announcements.push({ level: "warning", key: "pods-slow", message: `pods have not converged in ${formatDuration(now - prev.phaseSince)} (runbook: most within 5 minutes): ${obs.pods.reason}` });
  }
  return { progress, healthySince, healthyHeld, announcements };
}

/**
 * Keys whose condition holds although this step did not raise them: "pods have not converged" is
 * not over while the pods are not ready, even when a lower layer (the node, k3s) or a pause now
 * hides the converging phase; it ends with the pods ready, not with the phase.
 */
export function unsettledKeys(obs: Observations): string[] {
  return obs.pods.status === "ok" ? [] : ["pods-slow"];
}

/** Pods still converging past their budget: reported once, no remedy of their own. */
export function podsSlow(policy: Config, prev: Pick<CoreState, "phase" | "phaseSince">, progress: Progress, now: number): boolean {
  return podsConverging(prev, progress) && now - prev.phaseSince >= policy.timing.podsConvergeBudget;
}

/** The phase was, and still is, pods-converging. */
export function podsConverging(prev: Pick<CoreState, "phase">, progress: Progress): boolean {
  return progress.phase === "pods-converging" && prev.phase === "pods-converging";
}
