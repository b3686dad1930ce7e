// The daemon's four remedies acting on the simulated node. They change the model at once and
// return: the model's own timing (k3s taking 30–60 s to come back, a registry restart, a pod's grace
// period) makes a remedy take realistic node time, and the daemon sees the effect through its
// probes on later ticks. Every call is logged, so a scenario judges what was really done to the
// node, not what the daemon says it did.
import type { RemedyCommand, RemedyKind } from "../../core/types.js";
import type { Action, ActionReport } from "../../ports.js";
import type { SongNodesNode } from "../model/songnodes-node.js";

/** One remedy the node received, with the node time. */
export interface ActionCall {
  at: number;
  kind: RemedyKind;
  command: RemedyCommand;
  report: ActionReport;
}

/** The actions plus the record of their calls. */
export interface SimActions {
  actions: Record<RemedyKind, Action>;
  calls: ActionCall[];
}

/** Create the four actions over `node`. */
export function createSimActions(node: SongNodesNode, unitName: string): SimActions {
  const calls: ActionCall[] = [];
  const { runtime } = node;
  const action = <C extends RemedyCommand>(kind: C["kind"], run: (command: C) => ActionReport): Action<C> => ({
    kind,
    async run(command) {
      const report = run(command);
      calls.push({ at: node.now(), kind, command, report });
      return report;
    },
  });
  const busDown = (): ActionReport | null =>
    runtime.systemdReachable() ? null : { ok: false, detail: "cannot reach systemd over D-Bus: org.freedesktop.DBus.Error.NoReply", touched: [] };

  const actions = {
    "restart-k3s": action<Extract<RemedyCommand, { kind: "restart-k3s" }>>("restart-k3s", (command) => {
      const down = busDown();
      if (down) return down;
      void runtime.restartK3s(command.resetFailed);
      return { ok: true, detail: `${command.resetFailed ? "reset-failed, then " : ""}RestartUnit ${unitName}: job queued`, touched: [unitName] };
    }),
    "killall-k3s": action<Extract<RemedyCommand, { kind: "killall-k3s" }>>("killall-k3s", () => {
      const down = busDown();
      if (down) return down;
      void runtime.killall();
      return { ok: true, detail: `stopped ${unitName}, ran k3s-killall.sh, start job queued`, touched: [unitName, "k3s-killall.sh"] };
    }),
    "restart-registry": action<Extract<RemedyCommand, { kind: "restart-registry" }>>("restart-registry", () => {
      void node.registry.restart();
      return { ok: true, detail: `docker restart ${node.registry.containerName}`, touched: [node.registry.containerName] };
    }),
    "delete-pods": action<Extract<RemedyCommand, { kind: "delete-pods" }>>("delete-pods", (command) => {
      if (runtime.apiAnswer() !== "ok") return { ok: false, detail: "the API does not answer; no pod deleted", touched: [] };
      const touched: string[] = [];
      const skipped: string[] = [];
      for (const pod of command.pods) {
        const current = node.store.get("pods", pod.namespace, pod.name);
        // The API's uid precondition: never delete a replacement that took the same name.
        if (!current || current.metadata.uid !== pod.uid) {
          skipped.push(pod.name);
          continue;
        }
        node.store.requestDelete("pods", pod.namespace, pod.name, pod.force ? { gracePeriodSeconds: 0 } : {});
        touched.push(`${pod.namespace}/${pod.name}`);
      }
      const gone = skipped.length > 0 ? `; already gone or replaced: ${skipped.join(", ")}` : "";
      return { ok: touched.length > 0 || skipped.length > 0, detail: `deleted ${touched.length} pod(s)${gone}`, touched };
    }),
  } as Record<RemedyKind, Action>;
  return { actions, calls };
}
