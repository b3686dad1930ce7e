// Stage 5 of a step: giving up. It ends when the node heals by itself or the cooldown is over (a
// resume ends it in applyRequests); damage no restart can fix (containerd metadata corruption)
// stops the ladder and asks for a human instead.
import type { Config } from "../config/schema.js";
import { clearHold } from "./flapping.js";
import { corruptionWhy } from "./human-needed.js";
import type { Observations, CoreState, LadderPosition, Symptom } from "./types.js";
import { FAMILY } from "./ladder.js";
import type { Announcement } from "./pod-triage.js";
import type { SymptomFinding } from "./symptoms.js";
import { iso } from "./wording.js";

export type GaveUp = NonNullable<CoreState["gaveUp"]>;

/** End giving up where it should end, and start asking for a human where no restart can help. */
export function settleGivingUp(
  policy: Config,
  view: { gaveUp: GaveUp | null; ladder: LadderPosition | null; healthySince: number | null },
  obs: Observations,
  findings: readonly SymptomFinding[],
  now: number,
): { gaveUp: GaveUp | null; ladder: LadderPosition | null; announcements: Announcement[]; notes: string[] } {
  let { gaveUp, ladder } = view;
  const announcements: Announcement[] = [];
  const notes: string[] = [];
  // Healed: healthy for the hold (for a flapping k3s, a whole calm flapping window).
  const healed = gaveUp !== null && view.healthySince !== null && now - view.healthySince >= clearHold(policy, gaveUp.symptom);
  if (gaveUp !== null && healed) {
    announcements.push({ level: "info", key: `healed:${gaveUp.symptom}`, message: `healthy again after giving up on ${gaveUp.symptom}` });
    gaveUp = null;
    ladder = null;
  }
  if (gaveUp !== null && gaveUp.retryAt !== null && now >= gaveUp.retryAt) {
    notes.push(`cooldown after giving up on ${gaveUp.symptom} is over: the ladder may act again`);
    gaveUp = null;
    ladder = null;
  }
  const k3sTrouble = findings.some((f) => FAMILY[f.symptom] === "k3s");
  if (obs.k3sLog.status === "bad" && k3sTrouble && gaveUp?.symptom !== "human-needed") {
    gaveUp = { symptom: "human-needed", at: now, retryAt: null, why: corruptionWhy(policy, obs.k3sLog.detail, obs.k3sLog.reason) };
    ladder = null;
  } else if (obs.k3sLog.status === "bad" && !k3sTrouble) {
    notes.push(`the k3s log shows damage (${obs.k3sLog.reason}) but k3s is healthy: not acting on it`);
  }
  return { gaveUp, ladder, announcements, notes };
}

/** What the daemon says, loudly and once, while it has given up. */
export function gaveUpAnnouncement(gaveUp: GaveUp): Announcement {
  // Its reason already says what a person must do, and that `resume` follows: said once, not twice.
  if (gaveUp.symptom === "human-needed") return { level: "err", key: "gave-up:human-needed", message: `gave up, a person is needed: ${gaveUp.why}` };
  const when = gaveUp.retryAt === null ? "waiting for a human ('songnodes-watchdog resume' when fixed)" : `trying again at ${iso(gaveUp.retryAt)}`;
  return { level: "err", key: gaveUpKey(gaveUp.symptom), message: `gave up on ${gaveUp.symptom}: ${gaveUp.why}; ${when}` };
}

/**
 * The key a gave-up is said under: its symptom's family, since one episode's symptoms are one
 * trouble (k3s down, then after the cooldown its API never ready, is the same k3s not coming back).
 */
export function gaveUpKey(symptom: Symptom): string {
  return `gave-up:${FAMILY[symptom]}`;
}
