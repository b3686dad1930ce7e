// Stage 6 of a step: the ladder. For the symptom on top, once it is due and its verification
// window is over, take the next rung whose budget has room; when there is none, give up. This is
// where the daemon decides to restart k3s (or to killall, or to restart the registry).
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import { budgetUse } from "./budgets.js";
import type { GaveUp } from "./give-up.js";
import { FAMILY, LADDER, nextRemedy, SYMPTOM_PRIORITY, type LadderRemedy } from "./ladder.js";
import { startLimitHit, type SymptomFinding } from "./symptoms.js";
import type { ActionStamp, CoreState, LadderPosition, Observations, RemedyCommand, Symptom } from "./types.js";
import { iso, verifyWindow } from "./wording.js";

export interface Climb {
  ladder: LadderPosition | null;
  gaveUp: GaveUp | null;
  actions: ActionStamp[];
  remedy: RemedyCommand | null;
  notes: string[];
}

/** Why the daemon may not act at all now, or null when it may. */
export function heldBack(pause: CoreState["pause"], gaveUp: GaveUp | null): string | null {
  if (pause !== null) return `the daemon is paused (${pause.reason})`;
  if (gaveUp?.symptom === "human-needed") return "a human is needed";
  return null;
}

/** Climb one rung for `top`, if it is due and allowed. */
export function climbLadder(
  policy: Config,
  view: { top: SymptomFinding | null; ladder: LadderPosition | null; gaveUp: GaveUp | null; pause: CoreState["pause"]; actions: ActionStamp[]; obs: Observations },
  now: number,
): Climb {
  const { top, obs } = view;
  const out: Climb = { ladder: view.ladder, gaveUp: view.gaveUp, actions: view.actions, remedy: null, notes: [] };
  if (top === null) return out;
  const held = heldBack(view.pause, view.gaveUp);
  if (held !== null) {
    if (top.due) out.notes.push(`${top.symptom} is due but ${held}: nothing done`);
    return out;
  }
  if (!top.due) {
    out.notes.push(`${top.symptom}: ${top.why}; waiting out its hold-off`);
    return out;
  }
  const family = FAMILY[top.symptom];
  const episode = view.ladder !== null && FAMILY[view.ladder.symptom] === family ? view.ladder : null;
  const gaveUp = view.gaveUp;
  if (gaveUp !== null && gaveUp.symptom !== "human-needed" && FAMILY[gaveUp.symptom] === family) {
    out.notes.push(`gave up on ${gaveUp.symptom}; acting again ${gaveUp.retryAt === null ? "on resume" : `at ${iso(gaveUp.retryAt)}`}`);
    return out;
  }
  if (episode !== null && now < episode.verifyUntil) {
    out.notes.push(`verifying ${LADDER[episode.symptom][episode.rung]} until ${iso(episode.verifyUntil)}: ${top.why}`);
    return out;
  }
  const taken = episode === null ? null : (LADDER[episode.symptom][episode.rung] ?? null);
  const next = nextRemedy(top.symptom, taken);
  const cooldownEnds = now + policy.timing.gaveUpCooldown;
  if (next === null) return giveUp(out, gaveUp, { symptom: top.symptom, at: now, retryAt: cooldownEnds, why: `the ladder is spent (${LADDER[top.symptom].join(", then ")}) and ${top.why}` });
  const budget = budgetUse(policy, view.actions, next.remedy, now);
  if (budget.left === 0) {
    return giveUp(out, gaveUp, { symptom: top.symptom, at: now, retryAt: cooldownEnds, why: `the ${next.remedy} budget is spent (${budget.used} of ${budget.max} in ${formatDuration(budget.windowMs)}) and ${top.why}` });
  }
  out.remedy = remedyCommand(next.remedy, top, obs, next.rung);
  out.actions = [...view.actions, { kind: next.remedy, at: now }];
  out.ladder = { symptom: top.symptom, rung: next.rung, verifyUntil: now + verifyWindow(policy, next.remedy), startedAt: episode?.startedAt ?? now, clearSince: null };
  return out;
}

/**
 * Give up on `fresh`. The state holds one gave-up: one of a family that goes first (a broken k3s
 * explains a registry that cannot come back) is never replaced by one of a family after it. Were it
 * replaced, the first family would be free to act again in its cooldown: a k3s restarted every few
 * minutes after the daemon said it gave up, and "gave up" said again each time.
 */
function giveUp(out: Climb, standing: GaveUp | null, fresh: NonNullable<GaveUp>): Climb {
  if (standing !== null && standing.symptom !== "human-needed" && familyRank(standing.symptom as Symptom) < familyRank(fresh.symptom as Symptom)) {
    out.notes.push(`${fresh.why}; not giving up on ${fresh.symptom} over the standing gave-up on ${standing.symptom}`);
    return out;
  }
  out.gaveUp = fresh;
  return out;
}

/** A family's place in the priority (k3s before the registry). */
const familyRank = (symptom: Symptom): number => SYMPTOM_PRIORITY.findIndex((s) => FAMILY[s] === FAMILY[symptom]);

function remedyCommand(remedy: LadderRemedy, finding: SymptomFinding, obs: Observations, rung: number): RemedyCommand {
  const why = `${finding.why}; rung ${rung + 1} of ${LADDER[finding.symptom].length} for ${finding.symptom}`;
  if (remedy === "restart-k3s") return { kind: "restart-k3s", resetFailed: startLimitHit(obs.k3sUnit.detail?.result), why };
  if (remedy === "killall-k3s") return { kind: "killall-k3s", why };
  return { kind: "restart-registry", why };
}
