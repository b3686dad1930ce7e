// The I/O of the scheduling-failures check: the namespace's pods and events.
import { cannotLook, resultOf, type RunbookCheck } from "./check-result.js";
import { failedList, RESOURCES, type RunbookKube } from "./kube-objects.js";
import { findUnschedulable, judgeScheduling } from "./scheduling-failures.js";

/** Build the check `scheduling`. */
export function createSchedulingCheck(deps: { kube: RunbookKube; namespace: string }): RunbookCheck {
  return {
    name: "scheduling",
    async run(signal) {
      const [pods, events] = await Promise.all([deps.kube.list(RESOURCES.pods, deps.namespace, signal), deps.kube.list(RESOURCES.events, deps.namespace, signal)]);
      if (failedList(pods)) return cannotLook(`cannot list pods in ${deps.namespace}: ${pods.error}`);
      // Without events the PodScheduled condition still tells: read on.
      const found = findUnschedulable(pods.items, failedList(events) ? [] : events.items);
      return resultOf(judgeScheduling(found, deps.namespace), `every pod in ${deps.namespace} is scheduled`);
    },
  };
}
