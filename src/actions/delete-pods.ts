// Delete pods the core chose (Unknown, stuck Terminating, Failed, ImagePullBackOff after the registry
// is back) so their controllers recreate them at once. Each DELETE carries a uid precondition: between
// the core's decision and the call a StatefulSet may already have recreated `postgres-0` under the same
// name, and that new pod must never be hit. Job-owned pods are refused even if asked: their history
// belongs to the Job (docs/design.md §4). The one exception is a Job pod already being deleted (stuck
// Terminating): its deletion was already asked for, so finishing it loses no history.
import type { PodDeletion, RemedyCommand } from "../core/types.js";
import type { KubeClient } from "../kube/client.js";
import { describeKubeError, isAbort, kubeErrorCode } from "../kube/kube-error.js";
import type { Action, ActionReport } from "../ports.js";

type DeletePodsCommand = Extract<RemedyCommand, { kind: "delete-pods" }>;

type Outcome = { pod: PodDeletion; result: "deleted" | "gone" | "replaced" | "refused" | "failed"; why: string };

/** The delete-pods remedy for pods of `namespace`. */
export function createDeletePods(deps: { kube: KubeClient; namespace: string }): Action<DeletePodsCommand> {
  const deleteOne = async (pod: PodDeletion, signal: AbortSignal): Promise<Outcome> => {
    if (pod.namespace !== deps.namespace) return { pod, result: "refused", why: `outside namespace ${deps.namespace}` };
    if (signal.aborted) return { pod, result: "failed", why: "not attempted: the action ran out of time" };
    try {
      const core = deps.kube.connect().core;
      // Read first: the command carries no owner, and a Job's pod must not be deleted whatever asked.
      const current = await core.readNamespacedPod({ name: pod.name, namespace: pod.namespace }, deps.kube.callOptions(signal));
      if (current.metadata?.uid !== pod.uid) return { pod, result: "replaced", why: "already replaced by a new pod of the same name" };
      const job = current.metadata?.ownerReferences?.find((ref) => ref.kind === "Job");
      if (job && !current.metadata?.deletionTimestamp) return { pod, result: "refused", why: `owned by Job ${job.name}; its history belongs to the Job` };
      const grace = pod.force ? { gracePeriodSeconds: 0 } : {};
      await core.deleteNamespacedPod(
        { name: pod.name, namespace: pod.namespace, ...grace, body: { preconditions: { uid: pod.uid }, propagationPolicy: "Background", ...grace } },
        deps.kube.callOptions(signal),
      );
      return { pod, result: "deleted", why: pod.force ? "force-deleted (grace period 0)" : "deleted" };
    } catch (error) {
      const code = kubeErrorCode(error);
      if (code === 404) return { pod, result: "gone", why: "already gone" };
      // 409 from the uid precondition: the name now belongs to a newer pod.
      if (code === 409) return { pod, result: "replaced", why: "already replaced by a new pod of the same name" };
      const why = isAbort(error) && signal.aborted ? "the action ran out of time" : describeKubeError(error, deps.kube.requestTimeoutMs);
      return { pod, result: "failed", why };
    }
  };

  return {
    kind: "delete-pods",
    async run(command, signal): Promise<ActionReport> {
      const outcomes: Outcome[] = [];
      // One at a time: a handful of pods, and the report stays in the order the core asked.
      for (const pod of command.pods) outcomes.push(await deleteOne(pod, signal));
      const touched = outcomes.filter((o) => o.result === "deleted").map((o) => `${o.pod.namespace}/${o.pod.name}`);
      const problems = outcomes.filter((o) => o.result === "refused" || o.result === "failed");
      const parts = outcomes.map((o) => `${o.pod.name}: ${o.why}`);
      const summary = command.pods.length === 0
        ? "no pods to delete"
        : `${touched.length} of ${command.pods.length} pods deleted${problems.length ? `, ${problems.length} not` : ""}: ${parts.join("; ")}`;
      return { ok: problems.length === 0, detail: summary, touched };
    },
  };
}
