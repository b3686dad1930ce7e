// The daemon's four remedies acting on the simulated node. Each reaches the node at once (the
// systemd job is queued, the DELETE is sent), then, when the runner gives a `spend` hook, the call
// itself takes node time as a real one does: a k3s restart 10–60 s, a killall 5–20 s, a registry
// restart 2–5 s, a DELETE well under a second, drawn from the scenario's seed. A daemon restart, a
// reboot or another fault can land while it is in flight. Every call is logged when it reaches the
// node, so a scenario judges what was really done to the node, not what the daemon says it did.
import type { RemedyCommand, RemedyKind } from "../../core/types.js";
import type { Action, ActionReport } from "../../ports.js";
import { createPrng } from "../model/prng.js";
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

/** How long each remedy's call takes in node time, [min, max] ms. */
export const REMEDY_MS: Record<RemedyKind, [number, number]> = {
  "restart-k3s": [10_000, 60_000],
  "killall-k3s": [5_000, 20_000],
  "restart-registry": [2_000, 5_000],
  "delete-pods": [200, 1_500],
};

export interface SimActionOptions {
  /** Let `ms` of node time pass while the call is in flight; without it a call returns at once. */
  spend?: (ms: number) => Promise<void>;
  /** Seeds the call durations (kept apart from the node's own randomness). */
  seed?: number;
  /** Sees each remedy just before it reaches the node (the soak's invariants look at the node then). */
  before?: (command: RemedyCommand) => void;
}

/** Create the four actions over `node`. */
export function createSimActions(node: SongNodesNode, unitName: string, options: SimActionOptions = {}): SimActions {
  const calls: ActionCall[] = [];
  const { runtime } = node;
  const durations = createPrng(((options.seed ?? 1) * 7919 + 17) >>> 0);
  const action = <C extends RemedyCommand>(kind: C["kind"], run: (command: C) => ActionReport): Action<C> => ({
    kind,
    async run(command, signal) {
      options.before?.(command);
      const report = run(command);
      calls.push({ at: node.now(), kind, command, report });
      const [min, max] = REMEDY_MS[kind];
      if (options.spend) {
        const spent = options.spend(durations.between(min, max));
        // A daemon that stops (or is killed) with the call in flight stops waiting for it; the node goes on.
        if (signal) await Promise.race([spent, new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }))]);
        else await spent;
      }
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
