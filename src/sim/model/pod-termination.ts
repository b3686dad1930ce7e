// What a DELETE of a pod does: a graceful delete sets deletionTimestamp (now + grace) and
// deletionGracePeriodSeconds, the pod shows Terminating, and the object goes once kubelet has
// stopped its containers (never later than the grace period). Grace 0 (`--grace-period=0 --force`)
// removes the object at once, unless a finalizer remains (then nothing but the finalizer's owner can
// let it go). A kubelet that is down, or stuck on a pod, never finishes the job:
// those pods stay Terminating until force-deleted (runbook "Pods Stuck Terminating").
import type { ObjectStore } from "../kube/store-types.js";
import type { EventRecorder } from "./events.js";
import type { Kubelet } from "./kubelet.js";
import type { Prng } from "./prng.js";
import type { PodRuntime } from "./pod-runtime.js";
import type { Scheduler } from "./scheduler.js";

export interface PodTerminationEnv {
  store: ObjectStore;
  scheduler: Scheduler;
  prng: Prng;
  kubelet: Kubelet;
  events: EventRecorder;
  namespace: string;
  kubeletUp(): boolean;
  /** A pod is Terminating or gone: its controller may create a replacement. */
  changed(): void;
}

/** Graceful termination of pods, hooked into the store's DELETE. */
export interface PodTermination {
  /** Remove the object now (grace 0, or kubelet finished). */
  remove(pod: PodRuntime): void;
  /** kubelet came back: finish the terminations it can. */
  resume(): void;
}

/** Register the pods DELETE handler on the store. */
export function installPodTermination(env: PodTerminationEnv): PodTermination {
  const { store, scheduler, kubelet } = env;

  const remove = (pod: PodRuntime): void => {
    kubelet.forget(pod.uid);
    const current = store.get("pods", env.namespace, pod.name);
    if (current?.metadata.uid === pod.uid) store.remove("pods", env.namespace, pod.name);
    env.changed();
  };
  const finishLater = (pod: PodRuntime): void => {
    if (!env.kubeletUp() || pod.stuckTerminating) return;
    const graceMs = (pod.graceSeconds ?? 30) * 1000;
    scheduler.after(Math.min(graceMs, env.prng.between(1_000, 4_000)), () => {
      if (env.kubeletUp() && !pod.stuckTerminating && kubelet.pods().includes(pod)) remove(pod);
    });
  };

  store.onDelete("pods", (object, request) => {
    const pod = kubelet.pods().find((candidate) => candidate.uid === object.metadata.uid);
    if (!pod) {
      store.remove("pods", object.metadata.namespace ?? null, object.metadata.name);
      return;
    }
    const grace = request.gracePeriodSeconds ?? 30;
    // A finalizer holds the object, even against a force delete: it stays Terminating, its
    // deletionTimestamp set, until whoever owns the finalizer removes it (here: nobody).
    if (pod.finalizers && pod.finalizers.length > 0) {
      if (pod.deletionAt !== null && grace !== 0) return;
      pod.deletionAt = pod.deletionAt === null ? scheduler.now() + grace * 1000 : Math.min(pod.deletionAt, scheduler.now());
      pod.graceSeconds = grace;
      pod.token++;
      kubelet.write(pod);
      env.changed();
      return;
    }
    if (grace === 0) return remove(pod);
    if (pod.deletionAt !== null) return;
    pod.deletionAt = scheduler.now() + grace * 1000;
    pod.graceSeconds = grace;
    pod.token++;
    env.events.record({ kind: "Pod", name: pod.name, namespace: env.namespace, uid: pod.uid }, "Normal", "Killing", `Stopping container ${pod.spec.name}`);
    kubelet.write(pod);
    env.changed();
    finishLater(pod);
  });

  return {
    remove,
    resume() {
      for (const pod of kubelet.pods()) if (pod.deletionAt !== null) finishLater(pod);
    },
  };
}
