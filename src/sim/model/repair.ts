// What a person does when the daemon has asked for one: fix every cause the faults left (move
// containerd's corrupt meta.db aside, fix the registry's disk and push the images again, roll out
// the application fix, remove a stuck finalizer), then reset-failed and restart k3s. The soak's
// schedules end an unrecoverable episode with it, so a year can go on after a gave-up.
import type { ObjectStore } from "../kube/store-types.js";
import { noFaults, type FaultSwitches } from "./faults.js";
import type { Kubelet } from "./kubelet.js";
import type { NodeRuntime } from "./node-runtime.js";
import type { PodTermination } from "./pod-termination.js";
import type { RegistryModel } from "./registry.js";

export interface RepairTargets {
  faults: FaultSwitches;
  registry: RegistryModel;
  kubelet: Kubelet;
  termination: PodTermination;
  runtime: NodeRuntime;
  store: ObjectStore;
  namespace: string;
}

/** Repair the node as a person would; returns what was done, for the timeline. */
export function repairNode(targets: RepairTargets): string {
  const { faults, kubelet, namespace } = targets;
  const buggy = [...faults.crashLooping];
  Object.assign(faults, noFaults());
  targets.registry.repair();
  let held = 0;
  for (const pod of kubelet.pods()) {
    // kubectl patch … -p '{"metadata":{"finalizers":null}}' on what hangs, and a rollout of the fixed workloads.
    if ((pod.finalizers?.length ?? 0) > 0 || pod.stuckTerminating) {
      held++;
      pod.finalizers = [];
      pod.stuckTerminating = false;
      if (pod.deletionAt !== null) targets.termination.remove(pod);
      continue;
    }
    if (buggy.includes(pod.spec.name) && pod.deletionAt === null) targets.store.requestDelete("pods", namespace, pod.name, {});
  }
  if (targets.runtime.poweredOn()) void targets.runtime.restartK3s(true);
  return `a person repairs the node: faults cleared, registry fixed and images pushed${buggy.length > 0 ? `, ${buggy.join(", ")} fixed and rolled out` : ""}${held > 0 ? `, ${held} held pod(s) let go` : ""}, k3s reset-failed and restarted`;
}
