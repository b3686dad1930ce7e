// Stage 9a of a step: the phase the daemon reports. Its own doing (paused, gave-up, recovering)
// comes before the boot's progress; a probe that cannot tell keeps the phase it last knew.
import { isProgressPhase, type Progress } from "./phase.js";
import type { Phase } from "./types.js";

export interface PhaseFacts {
  healthyHeld: boolean;
  paused: boolean;
  gaveUp: boolean;
  /** A ladder episode is open (a remedy in flight or being verified). */
  climbing: boolean;
}

/** The phase after this step, from the previous one and the layers' progress. */
export function phaseOf(prev: Phase, progress: Progress["phase"], facts: PhaseFacts): Phase {
  if (facts.paused) return "paused";
  if (facts.gaveUp) return "gave-up";
  if (facts.climbing) return "recovering";
  if (progress === "healthy") {
    if (facts.healthyHeld || prev === "healthy") return "healthy";
    return isProgressPhase(prev) ? prev : "pods-converging";
  }
  // A probe that cannot tell hides the layer: keep the phase the daemon last knew.
  if (progress === null) return isProgressPhase(prev) ? prev : "waiting-for-k3s";
  return progress;
}
