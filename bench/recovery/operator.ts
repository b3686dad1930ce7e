// The runbook done by hand, as a model of an operator (docs/benchmarks.md): when they notice, how
// long each command takes, and which runbook step they take for what they see. It acts through the
// same simulated actions as the daemon, so its column is measured on the same node, not estimated.
// The model is generous: a daytime operator who follows docs/runbook.md and deletes Unknown
// and stuck pods by name (the runbook's field selectors miss most of them).
import type { Command, Observations, PodDeletion, PodView } from "../../src/core/types.js";
import { runDecide } from "./decide-loop.js";
import { anyNotOk, type Contender, type Decide } from "./contender.js";

/** The operator's timings, ms. */
export const OPERATOR = {
  /** Trouble visible this long before someone is at a terminal (a 5 min alert, 5 min to respond). */
  noticeMs: 10 * 60_000,
  /** One check command typed and read (systemctl status, kubectl get pods, ls, curl). */
  checkMs: 30_000,
  /** One remedy command typed. */
  commandMs: 30_000,
  /** Runbook: k3s takes 30–60 s to initialise; they look again after this. */
  recheckK3sMs: 2 * 60_000,
  recheckRegistryMs: 60_000,
  /** Runbook "After Unexpected Reboot" step 2: pods Running within ~5 min; orphans are looked for after. */
  podPatienceMs: 5 * 60_000,
};

/** What the operator remembers. */
export interface OperatorState {
  troubleSince: number | null;
  engaged: boolean;
  busyUntil: number;
  /** 0 nothing yet, 1 `systemctl restart k3s` done, 2 stop + k3s-killall.sh + start done, 3 out of runbook. */
  k3sRung: number;
  nodeReadySince: number | null;
  /** A registry that dies again after two restarts is a case for someone else. */
  registryRestarts: number;
  deleted: string[];
}

const initial: OperatorState = { troubleSince: null, engaged: false, busyUntil: 0, k3sRung: 0, nodeReadySince: null, registryRestarts: 0, deleted: [] };

const k3sLayerBad = (obs: Observations): boolean => ["k3sUnit", "containerdSocket", "api", "nodes"].some((n) => obs[n as keyof Observations].status !== "ok");

/** The operator as a decision core. */
export const operatorDecide: Decide<OperatorState> = (prev, input, now) => {
  const obs = input.observations;
  const s: OperatorState = { ...prev };
  const commands: Command[] = [];
  const trouble = anyNotOk(obs);
  s.troubleSince = trouble ? (prev.troubleSince ?? now) : null;
  s.nodeReadySince = k3sLayerBad(obs) ? null : (prev.nodeReadySince ?? now);
  if (!trouble) return { state: { ...initial, deleted: prev.deleted }, commands };
  if (!s.engaged) {
    if (now - (s.troubleSince ?? now) < OPERATOR.noticeMs) return { state: s, commands };
    // At the terminal: `systemctl status k3s`, `kubectl get pods -n songnodes`.
    return { state: { ...s, engaged: true, busyUntil: now + 2 * OPERATOR.checkMs }, commands };
  }
  if (now < s.busyUntil) return { state: s, commands };

  const unit = obs.k3sUnit.detail;
  if (k3sLayerBad(obs)) {
    const attemptAge = unit?.inactiveExitAt ? now - unit.inactiveExitAt : Infinity;
    if (unit?.subState === "start" && attemptAge < 60_000) return { state: { ...s, busyUntil: now + OPERATOR.checkMs }, commands };
    const socketMissing = obs.k3sUnit.status === "ok" && obs.containerdSocket.status === "bad";
    if (s.k3sRung === 0 && !socketMissing) {
      commands.push({ kind: "restart-k3s", resetFailed: unit?.result === "start-limit-hit", why: "operator: sudo systemctl restart k3s" });
      return { state: { ...s, k3sRung: 1, busyUntil: now + OPERATOR.commandMs + OPERATOR.recheckK3sMs }, commands };
    }
    if (s.k3sRung <= 1) {
      // "If K3s Fails to Start": ls the socket, journalctl -u k3s, then stop, killall, start.
      commands.push({ kind: "killall-k3s", why: "operator: systemctl stop k3s; k3s-killall.sh; systemctl start k3s" });
      return { state: { ...s, k3sRung: 2, busyUntil: now + 2 * OPERATOR.checkMs + 3 * OPERATOR.commandMs + OPERATOR.recheckK3sMs }, commands };
    }
    // The runbook has no further step: escalated to someone else, outside this model.
    return { state: { ...s, k3sRung: 3, busyUntil: Infinity }, commands };
  }

  const pods = obs.pods.detail?.pods ?? [];
  const pullStuck = pods.filter((p) => p.pullFailure !== null && p.pullFailure.cause === "registry-down");
  if (pullStuck.length > 0 && obs.registry.status === "bad" && s.registryRestarts < 2) {
    // "If Pods Stuck in ImagePullBackOff": docker ps, curl the catalog, docker restart registry.
    commands.push({ kind: "restart-registry", why: "operator: docker restart registry" });
    return { state: { ...s, registryRestarts: s.registryRestarts + 1, busyUntil: now + 2 * OPERATOR.checkMs + OPERATOR.commandMs + OPERATOR.recheckRegistryMs }, commands };
  }
  const patient = s.nodeReadySince !== null && now - s.nodeReadySince >= OPERATOR.podPatienceMs;
  const doomed = pods.filter((p) => !s.deleted.includes(p.uid) && operatorDeletes(p, now, patient, obs));
  if (doomed.length > 0) {
    const deletions: PodDeletion[] = doomed.map((p) => ({ namespace: p.namespace, name: p.name, uid: p.uid, force: p.deletionAt !== null, why: "operator: kubectl delete pod" }));
    commands.push({ kind: "delete-pods", pods: deletions, why: "operator: runbook pod clean-up" });
    return { state: { ...s, deleted: [...s.deleted, ...doomed.map((p) => p.uid)], busyUntil: now + OPERATOR.checkMs + OPERATOR.commandMs }, commands };
  }
  return { state: { ...s, busyUntil: now + OPERATOR.checkMs }, commands };
};

// Which pods a runbook operator deletes: Terminating > 5 min (forced), and once the pods had their
// ~5 minutes: Unknown ones, Failed ones (the runbook's selector takes Job pods too), and pods that
// could not pull while the registry was down.
function operatorDeletes(pod: PodView, now: number, patient: boolean, obs: Observations): boolean {
  if (pod.deletionAt !== null) return now - pod.deletionAt > 5 * 60_000;
  if (!patient) return false;
  if (pod.unknown !== null || pod.phase === "Failed") return true;
  return pod.pullFailure !== null && pod.pullFailure.cause === "registry-down" && obs.registry.status === "ok";
}

/** The contender. */
export const runbookOperator: Contender = {
  name: "runbook-by-hand",
  summary: "an operator following docs/runbook.md: notices after 10 min, 30 s per command, re-checks k3s after 2 min",
  tickMs: 5_000,
  eventDriven: false,
  start: (ctx) => runDecide(ctx, operatorDecide, initial, (_obs, state) => state.engaged, "operator"),
};
