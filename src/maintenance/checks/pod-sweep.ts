// Daily: every pod not Running or Completed, as the runbook's `kubectl get pods | grep -v
// "Running\|Completed"` shows them, with the daemon's own judgement beside each.
import type { PodJson } from "../../kube/pod-json.js";
import { describePod } from "../../kube/pod-verdict.js";
import { podView } from "../../kube/pod-view.js";
import { failed, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

/** Judge the pods: one warn per pod whose STATUS is neither Running nor Completed. */
export function interpretPodSweep(pods: readonly PodJson[], namespace: string, localRegistryPrefix: string): CheckResult {
  const findings: Finding[] = [];
  for (const pod of pods) {
    const view = podView(pod, { localRegistryPrefix });
    if (view.display === "Running" || view.display === "Completed") continue;
    findings.push({ key: `pod:${view.name}:${view.display}`, level: "warn", text: describePod(view), next: `kubectl -n ${namespace} describe pod ${view.name}` });
  }
  return fromFindings(findings, `all ${pods.length} pods in ${namespace} Running or Completed`);
}

/** The check. */
export function createPodSweepCheck(deps: { kube: MaintenanceKube; namespace: string; localRegistryPrefix: string }): MaintenanceCheck {
  return {
    name: "pod-sweep",
    cadence: "daily",
    async run(signal) {
      const pods = await deps.kube.pods(deps.namespace, signal);
      if (failed(pods)) return cannotLook(`cannot list pods: ${pods.error}`, `kubectl -n ${deps.namespace} get pods`);
      return interpretPodSweep(pods, deps.namespace, deps.localRegistryPrefix);
    },
  };
}
