// The maintenance checks' ports over the simulated node, for the virtual clock: the same objects
// the HTTPS stand-in serves, read from the store directly, and what they cannot read while the API
// is down. Exec sits behind the PodExec port here (the HTTPS stand-in serves no websocket), answered
// by the model: psql's count is the model's tracks rows.
import type { NodeJson, PodJson } from "../../kube/pod-json.js";
import type { HostFilesystem, MaintenanceKube, PodExec } from "../../maintenance/ports.js";
import type { RunbookKube } from "../../runbook-checks/kube-objects.js";
import type { SongNodesNode } from "../model/songnodes-node.js";
import { simRunbookKube } from "./sim-runbook-checks.js";

const REFUSED = "connect ECONNREFUSED 127.0.0.1:6443";

/** The ports over `node`; the audit's workloads read through the runbook checks' port, read only. */
export function createSimMaintenancePorts(node: SongNodesNode): { kube: MaintenanceKube; host: HostFilesystem; exec: PodExec; workloads: Pick<RunbookKube, "list"> } {
  const answer = <T>(read: () => T): Promise<T | { error: string }> => {
    const api = node.runtime.apiAnswer();
    if (api !== "ok") return Promise.resolve({ error: api === "refused" ? REFUSED : api === "hang" ? "no answer within 5 s" : "HTTP 500 Internal Server Error" });
    return Promise.resolve(structuredClone(read()));
  };
  const list = (resource: Parameters<SongNodesNode["store"]["list"]>[0], namespace: string | null) => node.store.list(resource, namespace).items as Record<string, any>[];
  const runbook = simRunbookKube(node);
  return {
    workloads: { list: (resource, namespace, signal) => runbook.list(resource, namespace, signal) },
    kube: {
      jobs: (namespace) => answer(() => list("jobs", namespace)),
      cronJobs: (namespace) => answer(() => list("cronjobs", namespace)),
      pods: (namespace) => answer(() => list("pods", namespace) as PodJson[]),
      pvcs: (namespace) => answer(() => list("persistentvolumeclaims", namespace)),
      nodes: () => answer(() => list("nodes", null) as NodeJson[]),
      statsSummary: () => answer(() => (node.runtime.kubeletUp() ? node.maintenance.statsSummary() : { error: "kubelet is not running" })),
      nodeMetrics: () => answer(() => node.maintenance.nodeMetrics()),
      podMetrics: () => answer(() => node.maintenance.podMetrics()),
    },
    host: {
      async usage(path) {
        return node.maintenance.filesystem(path) ?? { error: "ENOENT" };
      },
    },
    exec: {
      async exec(target, argv) {
        if (node.runtime.apiAnswer() !== "ok") return { exitCode: null, stdout: "", stderr: "", timedOut: false, error: REFUSED };
        return { ...node.maintenance.exec(target.pod, argv), timedOut: false };
      },
    },
  };
}
