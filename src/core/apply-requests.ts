// Stage 1 of a step: the operator's requests apply to this very step, so a pause asked for now
// stops this step's remedies. A pause also ends by itself when its time is up.
import type { CoreState, OperatorRequest } from "./types.js";
import { iso } from "./wording.js";

/** The part of the state the operator's requests change. */
export type OperatorView = Pick<CoreState, "pause" | "gaveUp" | "ladder" | "beforePause">;

/** Apply `requests` at `now` to the previous state; `phase` is the phase a pause interrupts. */
export function applyRequests(prev: OperatorView & { phase: CoreState["phase"] }, requests: readonly OperatorRequest[], now: number): OperatorView & { notes: string[] } {
  let { pause, gaveUp, ladder, beforePause } = prev;
  const notes: string[] = [];
  for (const request of requests) {
    if (request.kind === "pause") {
      if (pause === null) beforePause = prev.phase;
      pause = { until: request.until, reason: request.reason };
      notes.push(`paused until ${iso(request.until)}: ${request.reason}`);
    } else {
      notes.push(`resumed: ${request.reason}`);
      pause = null;
      // A manual resume re-arms the ladder after gave-up.
      gaveUp = null;
      ladder = null;
    }
  }
  if (pause !== null && now >= pause.until) {
    notes.push(`pause expired (${pause.reason})`);
    pause = null;
  }
  if (pause === null) beforePause = null;
  return { pause, gaveUp, ladder, beforePause, notes };
}
