// Daily: every PVC of the namespace Bound, and its usage from kubelet's stats summary (through the
// API server's node proxy). A volume kubelet gives no stats for reads unknown with the reason,
// never 0 %: k3s's local-path provisioner gives none, and a PVC mounted only by Job pods has none
// while no such pod runs (the host disk check covers local-path volumes under the k3s directory).
import type { PodJson } from "../../kube/pod-json.js";
import { failed, type ApiObject, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

/** One PVC's volume stats from the summary: bytes used of capacity. */
export interface VolumeStats {
  usedBytes: number;
  capacityBytes: number;
}

/** The PVC stats in a /stats/summary body, by "namespace/claim". */
export function volumeStatsByClaim(summary: ApiObject): Map<string, VolumeStats> {
  const stats = new Map<string, VolumeStats>();
  for (const pod of Array.isArray(summary.pods) ? summary.pods : []) {
    for (const volume of Array.isArray(pod.volume) ? pod.volume : []) {
      const ref = volume.pvcRef;
      if (!ref?.name || typeof volume.usedBytes !== "number" || typeof volume.capacityBytes !== "number") continue;
      stats.set(`${ref.namespace}/${ref.name}`, { usedBytes: volume.usedBytes, capacityBytes: volume.capacityBytes });
    }
  }
  return stats;
}

/** Judge the PVCs. */
export function interpretPvcUsage(input: { namespace: string; pvcs: readonly ApiObject[]; stats: Map<string, VolumeStats>; pods: readonly PodJson[]; warnPercent: number; critPercent: number }): CheckResult {
  const ns = input.namespace;
  const findings: Finding[] = [];
  const fine: string[] = [];
  // Which claims a running pod that is not a Job's mounts: only those can have stats.
  const mountedByService = new Set<string>();
  for (const pod of input.pods) {
    const jobPod = (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === "Job");
    if (jobPod || pod.status?.phase !== "Running") continue;
    for (const volume of ((pod.spec as ApiObject | undefined)?.volumes ?? []) as ApiObject[]) {
      if (volume.persistentVolumeClaim?.claimName) mountedByService.add(volume.persistentVolumeClaim.claimName);
    }
  }
  for (const pvc of input.pvcs) {
    const name = String(pvc.metadata?.name ?? "");
    const phase = String(pvc.status?.phase ?? "Pending");
    const describe = `kubectl -n ${ns} describe pvc ${name}`;
    if (phase !== "Bound") {
      findings.push({ key: `pvc:${name}:${phase}`, level: phase === "Lost" ? "crit" : "warn", text: `PVC ${name} is ${phase}, not Bound`, next: describe });
      continue;
    }
    const stats = input.stats.get(`${ns}/${name}`);
    if (stats && stats.capacityBytes > 0) {
      const used = Math.ceil((stats.usedBytes / stats.capacityBytes) * 100);
      const text = `PVC ${name} ${used} % used (${(stats.usedBytes / 1024 ** 3).toFixed(1)} of ${(stats.capacityBytes / 1024 ** 3).toFixed(1)} GiB)`;
      const next = `kubectl -n ${ns} exec -it <pod mounting ${name}> -- df -h`;
      if (used >= input.critPercent) findings.push({ key: `pvc:${name}:crit`, level: "crit", text, next });
      else if (used >= input.warnPercent) findings.push({ key: `pvc:${name}:warn`, level: "warn", text, next });
      else fine.push(`${name} ${used} %`);
      continue;
    }
    const localPath = pvc.spec?.storageClassName === "local-path";
    const why = !mountedByService.has(name) && !localPath
      ? "no volume stats: no running pod mounts it (a PVC used only by Job pods has stats only while one runs)"
      : localPath
        ? "no volume stats: k3s's local-path volumes report none; the host disk check covers them under /var/lib/rancher/k3s/storage"
        : "no volume stats from kubelet for it";
    findings.push({ key: `pvc:${name}:no-stats`, level: "unknown", text: `PVC ${name}: ${why}`, next: `kubectl get --raw /api/v1/nodes/<node>/proxy/stats/summary` });
  }
  return fromFindings(findings, input.pvcs.length === 0 ? `no PVCs in ${ns}` : `PVC usage fine: ${fine.join(", ")}`);
}

/** The check: PVCs, pods and every node's stats summary. */
export function createPvcUsageCheck(deps: { kube: MaintenanceKube; namespace: string; warnPercent: number; critPercent: number }): MaintenanceCheck {
  return {
    name: "pvc-usage",
    cadence: "daily",
    async run(signal) {
      const [pvcs, pods, nodes] = await Promise.all([deps.kube.pvcs(deps.namespace, signal), deps.kube.pods(deps.namespace, signal), deps.kube.nodes(signal)]);
      if (failed(pvcs)) return cannotLook(`cannot list PVCs: ${pvcs.error}`, `kubectl -n ${deps.namespace} get pvc`);
      if (failed(pods)) return cannotLook(`cannot list pods: ${pods.error}`, `kubectl -n ${deps.namespace} get pods`);
      if (failed(nodes)) return cannotLook(`cannot list nodes: ${nodes.error}`, "kubectl get nodes");
      const stats = new Map<string, VolumeStats>();
      for (const node of nodes) {
        const summary = await deps.kube.statsSummary(node.metadata?.name ?? "", signal);
        if (failed(summary)) return cannotLook(`cannot read kubelet's stats summary of node ${node.metadata?.name}: ${summary.error}`, `kubectl get --raw /api/v1/nodes/${node.metadata?.name}/proxy/stats/summary`);
        for (const [claim, value] of volumeStatsByClaim(summary)) stats.set(claim, value);
      }
      return interpretPvcUsage({ namespace: deps.namespace, pvcs, stats, pods, warnPercent: deps.warnPercent, critPercent: deps.critPercent });
    },
  };
}
