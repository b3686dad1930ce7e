// The decision: one pure function from (state, what the probes saw, now) to (new state, commands).
// No I/O, no clock, no await: everything it knows is in its arguments, so every rule is a table
// test (test/core/) and the simulator can replay hours of faults in seconds.
//
// A step is a pipeline of named pure stages, each in its own file with its own tests: operator
// requests, verification windows, health, symptoms (with k3s's failures counted for flapping)
// and the episode, giving up, the ladder (where
// the daemon decides to restart k3s), pod clean-up, what to say (whose reminders are wake-ups), the
// next wake-up and the phase.
import type { Config } from "../config/schema.js";
import { applyRequests } from "./apply-requests.js";
import { forgetOldActions } from "./budgets.js";
import { findFlapping } from "./flapping.js";
import { countK3sFailures } from "./k3s-failures.js";
import { cleanUpPods } from "./clean-up-pods.js";
import { climbLadder, heldBack } from "./climb-ladder.js";
import { gaveUpAnnouncement, gaveUpKey, settleGivingUp } from "./give-up.js";
import { judgeHealth, podsConverging, unsettledKeys } from "./judge-health.js";
import { nextWake } from "./next-wake.js";
import { phaseOf } from "./phase-of.js";
import { triagePods } from "./pod-triage.js";
import { sayOnce } from "./say-once.js";
import { findSymptoms, STARTING } from "./symptoms.js";
import { topSymptom, trackEpisode } from "./track-episode.js";
import { unitTimes } from "./unit-times.js";
import type { CoreState, RemedyCommand, StepInput, StepResult } from "./types.js";
import { openVerifyWindows } from "./verify-windows.js";

/**
 * A gave-up's key holds while its family's episode or gave-up stands, not only while a symptom is
 * seen: a flapping k3s between two crashes shows none, and "gave up" must not be said again when the
 * ladder tries after its cooldown and gives up once more in the same episode.
 */
function standingGaveUp(ladder: CoreState["ladder"], gaveUp: CoreState["gaveUp"]): string[] {
  return [
    ...(ladder === null ? [] : [gaveUpKey(ladder.symptom)]),
    ...(gaveUp === null || gaveUp.symptom === "human-needed" ? [] : [gaveUpKey(gaveUp.symptom)]),
  ];
}

/** Decide what to do at `now`. `policy` is the validated config (durations in ms). */
export function step(policy: Config, prev: CoreState, input: StepInput, now: number): StepResult {
  const obs = input.observations;
  const operator = applyRequests(prev, input.requests, now);
  const verified = openVerifyWindows(policy, operator.ladder, input.finished);
  const health = judgeHealth(policy, prev, obs, now);
  const k3sUpAt = obs.k3sUnit.detail === null ? null : unitTimes(obs.k3sUnit.detail, now, { monotonic: input.monotonic, wallNow: input.wallNow }, null).activeAt;
  const triage = triagePods(policy, obs, prev.podFirstSeen, now, now, Math.min(now, input.wallNow ?? now), k3sUpAt);
  const k3sFailures = countK3sFailures(policy, prev.k3sFailures, obs.k3sUnit, now);
  const actions = forgetOldActions(policy, prev.actions, now);
  // A flapping k3s is treated between two attempts: failing now, and not in a start attempt (whose
  // budget no remedy interrupts).
  const betweenAttempts = obs.k3sUnit.status === "bad" && !STARTING.has(obs.k3sUnit.detail?.subState ?? "");
  const flapping = findFlapping(policy, k3sFailures, actions, now, betweenAttempts);
  const clocks = { ...(input.monotonic === undefined ? {} : { monotonic: input.monotonic }), ...(input.wallNow === undefined ? {} : { wallNow: input.wallNow }), startSeenAt: k3sFailures.startSeenAt ?? null };
  const findings = [...findSymptoms(policy, obs, triage.registryWanted, now, clocks), ...(flapping === null ? [] : [flapping])];
  const episode = trackEpisode(policy, verified, findings, now, obs.registry.status === "bad");
  const settled = settleGivingUp(policy, { gaveUp: operator.gaveUp, ladder: episode.ladder, healthySince: health.progress.allOk ? health.healthySince : null }, obs, findings, now);
  const climb = climbLadder(policy, { top: topSymptom(findings), ladder: settled.ladder, gaveUp: settled.gaveUp, pause: operator.pause, actions, obs }, now);
  const cleanUp = cleanUpPods(policy, { triage, actions: climb.actions, heldBack: heldBack(operator.pause, climb.gaveUp), ladderActed: climb.remedy !== null }, now);
  const { ladder, gaveUp } = climb;
  const { pause } = operator;

  const said = sayOnce(policy, [
    ...health.announcements, ...triage.announcements, ...episode.announcements, ...settled.announcements,
    ...(gaveUp === null ? [] : [gaveUpAnnouncement(gaveUp)]), ...cleanUp.announcements,
  ], prev.announced, { now, blind: obs.pods.status === "unknown", healthy: health.progress.allOk, ongoing: [...findings.map((f) => gaveUpKey(f.symptom)), ...standingGaveUp(ladder, gaveUp), ...unsettledKeys(obs), ...triage.ongoing] });
  const wakeAt = nextWake(policy, {
    podWakes: triage.wakes, findings, progress: health.progress, ladder, pause, gaveUp, healthySince: health.healthySince,
    podsSlowAt: podsConverging(prev, health.progress) ? prev.phaseSince + policy.timing.podsConvergeBudget : null,
    more: said.remindAt === null ? [] : [said.remindAt],
  }, now);
  const phase = phaseOf(prev.phase, health.progress.phase, { healthyHeld: health.healthyHeld, paused: pause !== null, gaveUp: gaveUp !== null, climbing: ladder !== null });
  const remedies = [climb.remedy, cleanUp.remedy].filter((r): r is RemedyCommand => r !== null);

  const state: CoreState = {
    phase,
    phaseSince: phase === prev.phase ? prev.phaseSince : now,
    beforePause: operator.beforePause,
    ladder,
    actions: cleanUp.actions,
    pause,
    gaveUp,
    healthySince: health.healthySince,
    announced: said.announced,
    podFirstSeen: cleanUp.firstSeen,
    k3sFailures,
  };
  const notes = [...operator.notes, ...triage.notes, ...settled.notes, ...climb.notes, ...cleanUp.notes];
  return { state, commands: [...said.commands, ...remedies], notes, wakeAt };
}
