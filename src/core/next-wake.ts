// Stage 8 of a step: when to look again without waiting for the tick. Everything in the state that
// runs out by itself (a hold-off, a verification window, a pause, a cooldown, the healthy hold)
// gives a time; the scheduler wakes the loop at the earliest one after `now`.
import type { Config } from "../config/schema.js";
import { clearHold } from "./flapping.js";
import type { Progress } from "./phase.js";
import type { SymptomFinding } from "./symptoms.js";
import type { CoreState, LadderPosition } from "./types.js";

export interface WakeSources {
  podWakes: readonly number[];
  findings: readonly SymptomFinding[];
  progress: Progress;
  ladder: LadderPosition | null;
  pause: CoreState["pause"];
  gaveUp: CoreState["gaveUp"];
  healthySince: number | null;
  /** When the pods' convergence budget runs out, when they are converging. */
  podsSlowAt: number | null;
  /** Other times the state runs out at (announcement keys expiring, …). */
  more?: readonly number[];
}

/** The earliest time after `now` at which the decision could change with no new observation. */
export function nextWake(policy: Config, sources: WakeSources, now: number): number | null {
  const { timing } = policy;
  const { ladder } = sources;
  const wakes = [
    ...sources.podWakes,
    ...sources.findings.filter((f) => !f.due).map((f) => f.dueAt),
    ...sources.progress.cannotTell.map((blind) => blind.since + timing.k3sHoldOff),
    ladder?.verifyUntil,
    ladder?.clearSince == null ? undefined : ladder.clearSince + clearHold(policy, ladder.symptom),
    sources.pause?.until,
    sources.gaveUp?.retryAt ?? undefined,
    sources.healthySince === null ? undefined : sources.healthySince + timing.healthyHold,
    sources.podsSlowAt ?? undefined,
    ...(sources.more ?? []),
  ].filter((t): t is number => t !== undefined && t > now);
  return wakes.length === 0 ? null : Math.min(...wakes);
}
