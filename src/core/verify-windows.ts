// Stage 2 of a step: a remedy that just finished gets its verification window, counted from when
// it ended, before the next rung of its ladder may be taken.
import type { Config } from "../config/schema.js";
import { LADDER, type LadderRemedy } from "./ladder.js";
import type { ActionOutcome, LadderPosition } from "./types.js";
import { verifyWindow } from "./wording.js";

/** The ladder position once the finished remedies' windows are set. */
export function openVerifyWindows(policy: Config, ladder: LadderPosition | null, finished: readonly ActionOutcome[]): LadderPosition | null {
  let position = ladder;
  for (const outcome of finished) {
    if (position !== null && outcome.kind === LADDER[position.symptom][position.rung]) {
      position = { ...position, verifyUntil: outcome.at + verifyWindow(policy, outcome.kind as LadderRemedy) };
    }
  }
  return position;
}
