// When an iteration may rest: skip the look and the step because neither could change anything.
// The node is plainly healthy (no ladder, pause, give-up or cooldown), nothing is remembered that
// runs out by itself (no announcement ageing, no pod condition under a hold-off), and the next
// wake-up the core named has not come. A step then, with the same ok readings, would decide
// nothing and leave the state as it is: the hold-offs, windows and budgets all count from times the
// state already holds, and each is judged against the time of the step that reads it. The loop adds
// the condition only it can know: every probe says its ok reading still stands (Probe.quiet()).
import type { CoreState } from "./types.js";

/** True when a step with unchanged ok readings at a time before `wakeAt` could not change `state`. */
export function mayRest(state: CoreState, wakeAt: number | null, now: number): boolean {
  return state.phase === "healthy"
    && state.ladder === null
    && state.pause === null
    && state.gaveUp === null
    && Object.keys(state.announced).length === 0
    && Object.keys(state.podFirstSeen).length === 0
    && (wakeAt === null || now < wakeAt);
}
