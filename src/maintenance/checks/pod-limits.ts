// Weekly: containers without resource limits, the runbook's `kubectl get pods -o json | jq` check:
// on a single node one container without a memory limit can push the node into MemoryPressure.
import type { PodJson } from "../../kube/pod-json.js";
import { failed, type ApiObject, type MaintenanceKube } from "../ports.js";
import { workloadOf } from "./usage-trends.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

/** Judge the pods' containers: one warn per pod with a container lacking a CPU or memory limit. */
export function interpretPodLimits(pods: readonly PodJson[], namespace: string): CheckResult {
  const findings: Finding[] = [];
  for (const pod of pods) {
    const containers = ((pod.spec as ApiObject | undefined)?.containers ?? []) as ApiObject[];
    const missing = containers.filter((c) => !c.resources?.limits?.memory || !c.resources?.limits?.cpu).map((c) => String(c.name));
    if (missing.length === 0) continue;
    const name = pod.metadata?.name ?? "";
    // Keyed by workload and containers: a replacement pod with the same spec is the same finding.
    findings.push({ key: `limits:${workloadOf(name)}:${missing.join(",")}`, level: "warn", text: `pod ${name}: no resource limits on ${missing.join(", ")}`, next: `kubectl -n ${namespace} get pod ${name} -o jsonpath='{.spec.containers[*].resources}'` });
  }
  return fromFindings(findings, `every container of ${pods.length} pods in ${namespace} has CPU and memory limits`);
}

/** The check. */
export function createPodLimitsCheck(deps: { kube: MaintenanceKube; namespace: string }): MaintenanceCheck {
  return {
    name: "pod-limits",
    cadence: "weekly",
    async run(signal) {
      const pods = await deps.kube.pods(deps.namespace, signal);
      if (failed(pods)) return cannotLook(`cannot list pods: ${pods.error}`, `kubectl -n ${deps.namespace} get pods`);
      return interpretPodLimits(pods, deps.namespace);
    },
  };
}
