// Weekly: any container waiting in ImagePullBackOff or ErrImagePull anywhere in the namespace, with
// the daemon's reading of why (registry down, image missing).
import type { PodJson } from "../../kube/pod-json.js";
import { describePod } from "../../kube/pod-verdict.js";
import { podView } from "../../kube/pod-view.js";
import { failed, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

/** Judge the pods: each one failing to pull its image is a warn. */
export function interpretImagePull(pods: readonly PodJson[], namespace: string, localRegistryPrefix: string): CheckResult {
  const findings: Finding[] = [];
  for (const pod of pods) {
    const view = podView(pod, { localRegistryPrefix });
    if (!view.pullFailure) continue;
    findings.push({ key: `pull:${view.name}`, level: "warn", text: describePod(view), next: `kubectl -n ${namespace} describe pod ${view.name} && curl -s http://localhost:5000/v2/_catalog` });
  }
  return fromFindings(findings, `no image pull failures in ${namespace}`);
}

/** The check. */
export function createImagePullCheck(deps: { kube: MaintenanceKube; namespace: string; localRegistryPrefix: string }): MaintenanceCheck {
  return {
    name: "image-pull",
    cadence: "weekly",
    async run(signal) {
      const pods = await deps.kube.pods(deps.namespace, signal);
      if (failed(pods)) return cannotLook(`cannot list pods: ${pods.error}`, `kubectl -n ${deps.namespace} get pods`);
      return interpretImagePull(pods, deps.namespace, deps.localRegistryPrefix);
    },
  };
}
