// "The fastest the simulated node allows", measured rather than guessed: a family of instant plans
// that apply a remedy the moment the trouble is visible, with no hold-off, no verification window
// and a 1 s tick. Each plan runs the scenario on the same model; the floor for a scenario is the
// earliest lasting recovery among them. It is a floor for reactive policies within the model's
// physics (k3s's start time, pulls, grace periods), not a proof that nothing could be faster.
// The fair plans keep the one hold-off the runbook itself sets before an action ("pods Terminating
// for more than 5 minutes" are force-deleted): the daemon may not act earlier, so neither do they.
import type { Command, Observations, PodDeletion, PodView } from "../../src/core/types.js";
import { runDecide } from "./decide-loop.js";
import { anyNotOk, type Contender, type Decide } from "./contender.js";

/** One plan: what to do to k3s, the registry and the pods, at once. */
export interface InstantPlan {
  k3s: "none" | "restart" | "killall";
  registry: boolean;
  pods: boolean;
  /** Keep the runbook's own hold-off: a Terminating pod is force-deleted only after RUNBOOK_TERMINATING_MS. */
  runbook?: boolean;
}

/** Runbook, "Pods Stuck Terminating": the symptom is Terminating for more than 5 minutes. */
export const RUNBOOK_TERMINATING_MS = 5 * 60_000;

interface PlanState {
  k3sDone: boolean;
  registryDown: boolean;
  deleted: string[];
}

const k3sTrouble = (obs: Observations): boolean =>
  obs.k3sUnit.status === "bad" || obs.containerdSocket.status === "bad" || obs.api.status !== "ok" || obs.nodes.status === "bad";

function podToDelete(pod: PodView, registryUp: boolean, now: number, runbook: boolean): boolean {
  if (pod.owner?.kind === "Job") return false;
  // A NodeLost pod with a deletion timestamp is the runbook's Unknown pod (step 4 of "After Unexpected
  // Reboot", no hold-off), not one of its pods stuck Terminating.
  if (pod.unknown !== null) return true;
  if (pod.deletionAt !== null) return !runbook || now - pod.deletionAt > RUNBOOK_TERMINATING_MS;
  if (pod.phase === "Failed" && pod.owner !== null) return true;
  return registryUp && pod.pullFailure !== null && pod.pullFailure.cause === "registry-down";
}

/** The plan as a decision core. */
export function planDecide(plan: InstantPlan): Decide<PlanState> {
  return (prev, input, now) => {
    const obs = input.observations;
    const commands: Command[] = [];
    const state: PlanState = { ...prev };
    if (plan.k3s !== "none" && !prev.k3sDone && k3sTrouble(obs)) {
      commands.push(plan.k3s === "restart" ? { kind: "restart-k3s", resetFailed: obs.k3sUnit.detail?.result === "start-limit-hit", why: "oracle" } : { kind: "killall-k3s", why: "oracle" });
      state.k3sDone = true;
    }
    const registryBad = obs.registry.status === "bad";
    if (plan.registry && registryBad && !prev.registryDown) commands.push({ kind: "restart-registry", why: "oracle" });
    state.registryDown = registryBad;
    if (plan.pods && commands.length === 0 && obs.api.status === "ok") {
      const pods = (obs.pods.detail?.pods ?? []).filter((p) => !prev.deleted.includes(p.uid) && podToDelete(p, obs.registry.status === "ok", now, plan.runbook === true));
      if (pods.length > 0) {
        const deletions: PodDeletion[] = pods.map((p) => ({ namespace: p.namespace, name: p.name, uid: p.uid, force: p.deletionAt !== null, why: "oracle" }));
        commands.push({ kind: "delete-pods", pods: deletions, why: "oracle" });
        state.deleted = [...prev.deleted, ...pods.map((p) => p.uid)];
      }
    }
    return { state, commands };
  };
}

/** Every plan the floor is taken over (3 × 2 × 2 = 12). */
export function instantPlans(): InstantPlan[] {
  const plans: InstantPlan[] = [];
  for (const k3s of ["none", "restart", "killall"] as const) for (const registry of [false, true]) for (const pods of [false, true]) plans.push({ k3s, registry, pods });
  return plans;
}

/** The plans the fair floor adds: those that delete pods, keeping the runbook's Terminating hold-off (6). A plan that deletes no pod is fair already. */
export function runbookPlans(): InstantPlan[] {
  return instantPlans().filter((plan) => plan.pods).map((plan) => ({ ...plan, runbook: true }));
}

/** One plan as a contender. */
export function oracleContender(plan: InstantPlan): Contender {
  return {
    name: `oracle(k3s=${plan.k3s},registry=${plan.registry},pods=${plan.pods}${plan.runbook ? ",runbook" : ""})`,
    summary: "instant plan: the remedy the moment trouble is visible, 1 s tick, no hold-off",
    tickMs: 1_000,
    eventDriven: true,
    start: (ctx) => runDecide(ctx, planDecide(plan), { k3sDone: false, registryDown: false, deleted: [] }, anyNotOk, "oracle"),
  };
}
