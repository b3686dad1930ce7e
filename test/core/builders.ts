// Readings for the core's table tests: a healthy SongNodes node, and small changes to it.
import type { K3sUnitDetail, PodView, Reading } from "../../src/core/types.js";
import type { Readings } from "../../src/core/observe.js";

export const T0 = Date.parse("2026-11-26T02:00:00Z");
export const sec = (n: number) => n * 1000;
export const min = (n: number) => n * 60_000;

/** A reading with the given status. */
export function reading<D>(status: Reading<D>["status"], detail: D | null, reason = status): Reading<D> {
  return { status, reason, detail };
}

/** The k3s unit as systemd reports it; active/running unless told otherwise. */
export function unit(over: Partial<K3sUnitDetail> = {}): Reading<K3sUnitDetail> {
  const detail: K3sUnitDetail = { activeState: "active", subState: "running", result: "success", inactiveExitAt: T0 - min(10), activeEnterAt: T0 - min(9), restarts: 0, ...over };
  const ok = detail.activeState === "active" && detail.subState === "running";
  return reading(ok ? "ok" : "bad", detail, `k3s.service is ${detail.activeState} (${detail.subState}), result ${detail.result}`);
}

/** A Running, ready pod owned by a ReplicaSet, unless told otherwise. */
export function pod(name: string, over: Partial<PodView> = {}): PodView {
  return {
    namespace: "songnodes", name, uid: `uid-${name}`, phase: "Running", display: "Running", ready: true,
    owner: { kind: "ReplicaSet", name: `${name.split("-")[0]}-rs` }, nodeName: "songnodes-node",
    createdAt: T0 - min(30), startedAt: T0 - min(30), deletionAt: null, unknown: null, waiting: null,
    pullFailure: null, pulling: false, pullsLocal: false, failedReason: null, finalizers: [], restarts: 0, ...over,
  };
}

/** Every probe ok; `pods` replaces the pod list (its status is derived: bad when a pod is not Running and ready). */
export function healthy(pods: PodView[] = [pod("postgres-0", { owner: { kind: "StatefulSet", name: "postgres" } }), pod("rest-api-abc")]): Readings {
  const podsOk = pods.every((p) => (p.phase === "Running" && p.ready && p.deletionAt === null) || p.phase === "Succeeded");
  return {
    k3sUnit: unit(),
    containerdSocket: reading("ok", { path: "/run/k3s/containerd/containerd.sock", exists: true, accepts: true }),
    api: reading("ok", { httpStatus: 200 }),
    nodes: reading("ok", { nodes: [{ name: "songnodes-node", ready: "True", reason: "KubeletReady", message: "kubelet is posting ready status", since: T0 - min(9) }] }),
    pods: reading(podsOk ? "ok" : "bad", { pods }, podsOk ? "all pods ready" : "some pods not ready"),
    registry: reading("ok", { container: "running", api: "up" }),
    k3sLog: reading("ok", { signature: null, source: null }),
  };
}

/** A healthy node with some readings replaced. */
export function with_(over: Partial<Readings>, pods?: PodView[]): Readings {
  return { ...healthy(pods), ...over };
}

/** k3s failing: cycling through auto-restart after exit-code, as k3s's unit does (Restart=always, RestartSec=5s). */
export const k3sCycling = () => unit({ activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: 3 });

/** The node NotReady, as kubelet reports it when it stops posting status. */
export const nodeNotReady = () =>
  reading("bad", { nodes: [{ name: "songnodes-node", ready: "Unknown" as const, reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", since: T0 }] }, "node songnodes-node Ready=Unknown: Kubelet stopped posting node status.");
