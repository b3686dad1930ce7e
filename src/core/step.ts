// The decision: one pure function from (state, what the probes saw, now) to (new state, commands).
// No I/O, no clock, no await: everything it knows is in its arguments, so every rule is a table
// test (test/core/) and the simulator can replay hours of faults in seconds.
//
// Read it in order: operator requests, verification windows, health and hysteresis, symptoms,
// giving up, the ladder (where the daemon decides to restart k3s), pod clean-up, wake-up, phase.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import type { Command, CoreState, Observations, Phase, RemedyCommand, StepInput, StepResult } from "./types.js";
import { budgetUse, forgetOldActions } from "./budgets.js";
import { FAMILY, LADDER, nextRemedy, SYMPTOM_PRIORITY, type LadderRemedy } from "./ladder.js";
import { isProgressPhase, progressOf } from "./phase.js";
import { deletedKey, triagePods, type Announcement } from "./pod-triage.js";
import { findSymptoms, type SymptomFinding } from "./symptoms.js";

/** Decide what to do at `now`. `policy` is the validated config (durations in ms). */
export function step(policy: Config, prev: CoreState, input: StepInput, now: number): StepResult {
  const { timing } = policy;
  const obs = input.observations;
  const notes: string[] = [];
  const announcements: Announcement[] = [];
  const remedies: RemedyCommand[] = [];
  let { pause, gaveUp, ladder, beforePause } = prev;
  let actions = forgetOldActions(policy, prev.actions, now);

  // 1. Operator requests apply to this very step: a pause asked for now stops this step's remedies.
  for (const request of input.requests) {
    if (request.kind === "pause") {
      if (pause === null) beforePause = prev.phase;
      pause = { until: request.until, reason: request.reason };
      notes.push(`paused until ${iso(request.until)}: ${request.reason}`);
    } else {
      notes.push(`resumed: ${request.reason}`);
      pause = null;
      // A manual resume re-arms the ladder after gave-up (docs/design.md §2).
      gaveUp = null;
      ladder = null;
    }
  }
  if (pause !== null && now >= pause.until) {
    notes.push(`pause expired (${pause.reason})`);
    pause = null;
  }
  if (pause === null) beforePause = null;

  // 2. A finished remedy gets its verification window before the next rung.
  for (const outcome of input.finished) {
    if (ladder !== null && outcome.kind === LADDER[ladder.symptom][ladder.rung]) {
      ladder = { ...ladder, verifyUntil: outcome.at + verifyWindow(policy, outcome.kind as LadderRemedy) };
    }
  }

  // 3. Health, with hysteresis: "healthy" must hold for timing.healthyHold before it counts.
  const progress = progressOf(obs);
  const healthySince = progress.allOk ? (prev.healthySince ?? now) : progress.phase === null ? prev.healthySince : null;
  const healthyHeld = progress.allOk && healthySince !== null && now - healthySince >= timing.healthyHold;
  for (const blind of progress.cannotTell) {
    if (now - blind.since >= timing.k3sHoldOff) {
      announcements.push({ level: "warning", key: `cannot-tell:${blind.probe}:${blind.since}`, message: `probe ${blind.probe} cannot tell for ${formatDuration(now - blind.since)}: ${blind.reason}; no remedy is taken on a probe that cannot look` });
    }
  }

  // 4. Symptoms: node-level ones (ladder) and pod-level ones (clean-up).
  const triage = triagePods(policy, obs, prev.podFirstSeen, now);
  notes.push(...triage.notes);
  announcements.push(...triage.announcements);
  const findings = findSymptoms(policy, obs, triage.registryWanted, now);
  const top = SYMPTOM_PRIORITY.map((symptom) => findings.find((f) => f.symptom === symptom)).find((f) => f !== undefined) ?? null;

  // A ladder resets only after its family has been clear for the healthy hold, so a flapping
  // k3s keeps climbing (and hits its budget) instead of restarting from the bottom each time.
  if (ladder !== null) {
    const family = FAMILY[ladder.symptom];
    if (findings.some((f) => FAMILY[f.symptom] === family)) {
      ladder = { ...ladder, clearSince: null };
    } else {
      const clearSince = ladder.clearSince ?? now;
      if (now - clearSince >= timing.healthyHold && now >= ladder.verifyUntil) {
        announcements.push({ level: "info", key: `recovered:${ladder.startedAt}`, message: `recovered from ${ladder.symptom} after ${LADDER[ladder.symptom][ladder.rung]} (clear for ${formatDuration(now - clearSince)})` });
        ladder = null;
      } else {
        ladder = { ...ladder, clearSince };
      }
    }
  }

  // 5. Giving up ends when the node heals by itself, when the cooldown is over, or on resume.
  if (gaveUp !== null && healthyHeld) {
    announcements.push({ level: "info", key: `healed:${gaveUp.at}`, message: `healthy again after giving up on ${gaveUp.symptom}` });
    gaveUp = null;
    ladder = null;
  }
  if (gaveUp !== null && gaveUp.retryAt !== null && now >= gaveUp.retryAt) {
    notes.push(`cooldown after giving up on ${gaveUp.symptom} is over: the ladder may act again`);
    gaveUp = null;
    ladder = null;
  }
  // Damage no restart can fix (containerd metadata corruption) stops the ladder and asks for a human.
  const k3sTrouble = findings.some((f) => FAMILY[f.symptom] === "k3s");
  if (obs.k3sLog.status === "bad" && k3sTrouble && gaveUp?.symptom !== "human-needed") {
    gaveUp = { symptom: "human-needed", at: now, retryAt: null, why: `${obs.k3sLog.reason}: no restart can fix this; repair it by hand, then run 'songnodes-watchdog resume'` };
    ladder = null;
  } else if (obs.k3sLog.status === "bad" && !k3sTrouble) {
    notes.push(`the k3s log shows damage (${obs.k3sLog.reason}) but k3s is healthy: not acting on it`);
  }

  // 6. The ladder: this is where the daemon decides to restart k3s (or killall, or the registry).
  const mayAct = pause === null && gaveUp?.symptom !== "human-needed";
  if (top !== null && !mayAct) {
    if (top.due) notes.push(`${top.symptom} is due but ${pause !== null ? `the daemon is paused (${pause.reason})` : "a human is needed"}: nothing done`);
  } else if (top !== null && !top.due) {
    notes.push(`${top.symptom}: ${top.why}; waiting out its hold-off`);
  } else if (top !== null) {
    const family = FAMILY[top.symptom];
    const episode = ladder !== null && FAMILY[ladder.symptom] === family ? ladder : null;
    if (gaveUp !== null && gaveUp.symptom !== "human-needed" && FAMILY[gaveUp.symptom] === family) {
      notes.push(`gave up on ${gaveUp.symptom}; acting again ${gaveUp.retryAt === null ? "on resume" : `at ${iso(gaveUp.retryAt)}`}`);
    } else if (episode !== null && now < episode.verifyUntil) {
      notes.push(`verifying ${LADDER[episode.symptom][episode.rung]} until ${iso(episode.verifyUntil)}: ${top.why}`);
    } else {
      const taken = episode === null ? null : (LADDER[episode.symptom][episode.rung] ?? null);
      const next = nextRemedy(top.symptom, taken);
      const budget = next === null ? null : budgetUse(policy, actions, next.remedy, now);
      if (next === null) {
        gaveUp = { symptom: top.symptom, at: now, retryAt: now + timing.gaveUpCooldown, why: `the ladder is spent (${LADDER[top.symptom].join(", then ")}) and ${top.why}` };
      } else if (budget !== null && budget.left === 0) {
        gaveUp = { symptom: top.symptom, at: now, retryAt: now + timing.gaveUpCooldown, why: `the ${next.remedy} budget is spent (${budget.used} of ${budget.max} in ${formatDuration(budget.windowMs)}) and ${top.why}` };
      } else {
        remedies.push(remedyCommand(next.remedy, top, obs, next.rung));
        actions = [...actions, { kind: next.remedy, at: now }];
        ladder = { symptom: top.symptom, rung: next.rung, verifyUntil: now + verifyWindow(policy, next.remedy), startedAt: episode?.startedAt ?? now, clearSince: null };
      }
    }
  }
  if (gaveUp !== null) {
    const when = gaveUp.retryAt === null ? "waiting for a human ('songnodes-watchdog resume' when fixed)" : `trying again at ${iso(gaveUp.retryAt)}`;
    announcements.push({ level: "err", key: `gave-up:${gaveUp.symptom}:${gaveUp.at}`, message: `gave up on ${gaveUp.symptom}: ${gaveUp.why}; ${when}` });
  }

  // 7. Pod clean-up, one batch per step, never in the same step as a ladder remedy.
  if (triage.deletions.length > 0) {
    const names = triage.deletions.map((d) => d.name).join(", ");
    const budget = budgetUse(policy, actions, "delete-pods", now);
    if (!mayAct) notes.push(`would delete ${names}, but ${pause !== null ? "paused" : "a human is needed"}`);
    else if (remedies.length > 0) notes.push(`pod clean-up (${names}) waits for the next step`);
    else if (budget.left === 0) {
      announcements.push({ level: "warning", key: `pod-budget:${budget.nextFreeAt}`, message: `the pod clean-up budget is spent (${budget.used} of ${budget.max} in ${formatDuration(budget.windowMs)}): not deleting ${names}` });
    } else {
      const why = triage.deletions.map((d) => `${d.name}: ${d.why}`).join("; ");
      remedies.push({ kind: "delete-pods", pods: triage.deletions, why });
      actions = [...actions, { kind: "delete-pods", at: now }];
      for (const deletion of triage.deletions) triage.firstSeen[deletedKey(deletion.uid)] = now;
    }
  }
  if (progress.phase === "pods-converging" && prev.phase === "pods-converging" && now - prev.phaseSince >= timing.podsConvergeBudget) {
    announcements.push({ level: "warning", key: `pods-slow:${prev.phaseSince}`, message: `pods have not converged in ${formatDuration(now - prev.phaseSince)} (runbook: most within 5 minutes): ${obs.pods.reason}` });
  }

  // 8. When to look again without waiting for the tick: everything above that runs out by itself.
  const wakes = [
    ...triage.wakes,
    ...findings.filter((f) => !f.due).map((f) => f.dueAt),
    ...progress.cannotTell.map((blind) => blind.since + timing.k3sHoldOff),
    ladder?.verifyUntil, ladder?.clearSince == null ? undefined : ladder.clearSince + timing.healthyHold,
    pause?.until, gaveUp?.retryAt ?? undefined,
    healthySince === null ? undefined : healthySince + timing.healthyHold,
    progress.phase === "pods-converging" && prev.phase === "pods-converging" ? prev.phaseSince + timing.podsConvergeBudget : undefined,
  ].filter((t): t is number => t !== undefined && t > now);
  const wakeAt = wakes.length === 0 ? null : Math.min(...wakes);

  // 9. Phase, and what to say once.
  const phase = phaseOf(prev.phase, progress.phase, healthyHeld, pause !== null, gaveUp !== null, ladder !== null);
  const said = new Set<string>();
  const commands: Command[] = [];
  for (const a of announcements) {
    if (said.has(a.key)) continue;
    said.add(a.key);
    if (!prev.announced.includes(a.key)) commands.push({ kind: "announce", level: a.level, key: a.key, message: a.message });
  }
  commands.push(...remedies);

  const state: CoreState = {
    phase,
    phaseSince: phase === prev.phase ? prev.phaseSince : now,
    beforePause,
    ladder,
    actions,
    pause,
    gaveUp,
    healthySince,
    announced: [...said],
    podFirstSeen: triage.firstSeen,
  };
  return { state, commands, notes, wakeAt };
}

function phaseOf(prev: Phase, progress: ReturnType<typeof progressOf>["phase"], healthyHeld: boolean, paused: boolean, gaveUp: boolean, climbing: boolean): Phase {
  if (paused) return "paused";
  if (gaveUp) return "gave-up";
  if (climbing) return "recovering";
  if (progress === "healthy") {
    if (healthyHeld || prev === "healthy") return "healthy";
    return isProgressPhase(prev) ? prev : "pods-converging";
  }
  // A probe that cannot tell hides the layer: keep the phase the daemon last knew.
  if (progress === null) return isProgressPhase(prev) ? prev : "waiting-for-k3s";
  return progress;
}

function remedyCommand(remedy: LadderRemedy, finding: SymptomFinding, obs: Observations, rung: number): RemedyCommand {
  const why = `${finding.why}; rung ${rung + 1} of ${LADDER[finding.symptom].length} for ${finding.symptom}`;
  if (remedy === "restart-k3s") return { kind: "restart-k3s", resetFailed: obs.k3sUnit.detail?.result === "start-limit-hit", why };
  if (remedy === "killall-k3s") return { kind: "killall-k3s", why };
  return { kind: "restart-registry", why };
}

function verifyWindow(policy: Config, remedy: LadderRemedy): number {
  const { verify } = policy.timing;
  if (remedy === "restart-k3s") return verify.restartK3s;
  if (remedy === "killall-k3s") return verify.killallK3s;
  return verify.restartRegistry;
}

// Pure: formats a time it is given, reads no clock.
function iso(ms: number): string {
  return new Date(ms).toISOString();
}
