// The core's starting state: a boot begins waiting for k3s, with the budgets' history loaded
// from the journal so that a daemon restart or a reboot does not refill them.
import type { ActionStamp, CoreState } from "./types.js";

/** A fresh state at `now`; `actions` are the remedies the journal remembers (see journal actionStamps). */
export function initialState(now: number, actions: ActionStamp[] = []): CoreState {
  return {
    phase: "waiting-for-k3s",
    phaseSince: now,
    beforePause: null,
    ladder: null,
    actions: [...actions],
    pause: null,
    gaveUp: null,
    healthySince: null,
    announced: {},
    podFirstSeen: {},
    k3sFailures: { at: [], restarts: null, unitOk: null, ups: [], seenNotCounted: 0 },
  };
}
