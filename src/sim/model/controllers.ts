// k3s's controllers for the SongNodes workloads: a ReplicaSet replaces a pod as soon as it is
// Terminating or gone (new name suffix, new uid); a StatefulSet waits until postgres-0 is gone
// and recreates it under the same name, and deletes a Failed one itself; a CronJob creates a Job
// and its pod at each scheduled minute. They run only while k3s runs.
import type { ObjectStore } from "../kube/store-types.js";
import { cronMatches } from "./cron.js";
import type { EventRecorder } from "./events.js";
import type { WorkloadSpec } from "./inventory.js";
import type { Kubelet } from "./kubelet.js";
import type { Prng } from "./prng.js";
import type { PodRuntime } from "./pod-runtime.js";
import type { Scheduler } from "./scheduler.js";
import { isoTime } from "./render-pod.js";
import { workloadObjects, type OwnerRef } from "./workload-objects.js";

export interface ControllersEnv {
  scheduler: Scheduler;
  prng: Prng;
  store: ObjectStore;
  kubelet: Kubelet;
  events: EventRecorder;
  namespace: string;
  workloads: WorkloadSpec[];
  up(): boolean;
  /** Remove a pod at once (the StatefulSet controller's delete of a Failed pod goes through here). */
  deletePod(pod: PodRuntime): void;
}

// A CronJob's successfulJobsHistoryLimit when the chart does not set one.
const HISTORY_LIMIT = 3;

/** The controllers of every workload. */
export interface Controllers {
  /** Create the owner objects (Deployments, ReplicaSets, …) and, when `withPods`, their pods. */
  install(): void;
  /** Something changed: reconcile soon (controllers react within a second or so). */
  poke(): void;
  /** A fresh pod record for a workload (not yet admitted). */
  newPod(spec: WorkloadSpec): PodRuntime;
}

/** Create the controllers. */
export function createControllers(env: ControllersEnv): Controllers {
  const { scheduler, prng, store, kubelet } = env;
  const owners = new Map<string, OwnerRef>();
  let pokeQueued = false;

  const ownerOf = (spec: WorkloadSpec): OwnerRef => owners.get(spec.name) as OwnerRef;

  const newPod = (spec: WorkloadSpec, owner = ownerOf(spec), name?: string): PodRuntime => ({
    name: name ?? (spec.kind === "StatefulSet" ? `${spec.name}-0` : `${owner.name}-${prng.suffix(5)}`),
    uid: prng.uuid(), spec, owner, createdAt: scheduler.now(), stage: "pending", podIp: null, startedAt: null,
    initDone: 0, containerStartedAt: null, readyAt: null, restarts: 0, pullError: null, crashBackoffUntil: null,
    lastTerminated: null, terminated: null, unknownKind: null, failed: null, deletionAt: null, graceSeconds: null,
    stuckTerminating: false, token: 0,
  });

  const reconcile = (): void => {
    if (!env.up()) return;
    for (const spec of env.workloads) {
      if (spec.kind === "CronJob") continue;
      const owner = ownerOf(spec);
      const mine = kubelet.pods().filter((pod) => pod.owner.uid === owner.uid);
      if (spec.kind === "StatefulSet") {
        const pod = mine[0];
        // A pod left Running by a failed shutdown is not Failed to its controller (Kubernetes 1.22).
        if (pod?.stage === "failed" && !pod.failedStillRunning && pod.deletionAt === null) env.deletePod(pod);
        if (mine.length === 0) admit(spec, newPod(spec), "StatefulSet", `create Pod ${spec.name}-0 in StatefulSet ${spec.name} successful`);
        continue;
      }
      const active = mine.filter((pod) => pod.deletionAt === null && (pod.stage !== "failed" || pod.failedStillRunning === true) && pod.stage !== "completed");
      if (active.length === 0) {
        const pod = newPod(spec);
        admit(spec, pod, "ReplicaSet", `Created pod: ${pod.name}`);
      }
    }
  };
  const admit = (spec: WorkloadSpec, pod: PodRuntime, kind: string, message: string): void => {
    const owner = ownerOf(spec);
    env.events.record({ kind, name: owner.name, namespace: env.namespace, uid: owner.uid }, "Normal", "SuccessfulCreate", message, kind === "ReplicaSet" ? "replicaset-controller" : "statefulset-controller");
    kubelet.admit(pod);
  };

  // successfulJobsHistoryLimit (3): older finished Jobs go, and their pods with them (cascading delete).
  const pruneHistory = (spec: WorkloadSpec): void => {
    const finished = kubelet.pods().filter((pod) => pod.owner.kind === "Job" && pod.spec.name === spec.name && pod.stage === "completed" && pod.deletionAt === null);
    finished.sort((a, b) => a.createdAt - b.createdAt);
    for (const pod of finished.slice(0, Math.max(0, finished.length - HISTORY_LIMIT))) {
      kubelet.forget(pod.uid);
      store.remove("pods", env.namespace, pod.name);
      store.remove("jobs", env.namespace, pod.owner.name);
    }
  };

  // activeDeadlineSeconds: the Job controller fails a Job still running at its deadline and deletes
  // its pod (reason DeadlineExceeded), so a CronJob whose pulls fail does not pile up pods.
  const deadlineExceeded = (pod: PodRuntime, jobName: string): void => {
    if (!env.up() || pod.stage === "completed" || pod.deletionAt !== null || !kubelet.pods().includes(pod)) return;
    const job = store.get("jobs", env.namespace, jobName);
    if (job) store.put("jobs", { ...job, status: { failed: 1, conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" }] } });
    env.events.record({ kind: "Job", name: jobName, namespace: env.namespace, uid: pod.owner.uid }, "Warning", "DeadlineExceeded", "Job was active longer than specified deadline", "job-controller");
    store.requestDelete("pods", env.namespace, pod.name, {});
  };

  // The CronJob controller checks schedules once a minute.
  const cronMinute = (): void => {
    const minute = Math.floor(scheduler.now() / 60_000) * 60_000;
    if (env.up()) {
      for (const spec of env.workloads) {
        if (spec.kind !== "CronJob" || !spec.schedule || !cronMatches(spec.schedule, minute)) continue;
        const cron = ownerOf(spec);
        const jobName = `${spec.name}-${Math.floor(minute / 60_000)}`;
        const jobUid = prng.uuid();
        store.put("jobs", {
          apiVersion: "batch/v1", kind: "Job",
          metadata: { name: jobName, namespace: env.namespace, uid: jobUid, creationTimestamp: isoTime(minute), labels: { app: spec.name }, ownerReferences: [{ ...cron, controller: true }] },
          spec: { backoffLimit: 6, completions: 1, parallelism: 1, ...(spec.activeDeadlineSeconds ? { activeDeadlineSeconds: spec.activeDeadlineSeconds } : {}) },
          status: { active: 1, startTime: isoTime(minute) },
        });
        env.events.record({ kind: "CronJob", name: spec.name, namespace: env.namespace, uid: cron.uid }, "Normal", "SuccessfulCreate", `Created job ${jobName}`, "cronjob-controller");
        const job: OwnerRef = { apiVersion: "batch/v1", kind: "Job", name: jobName, uid: jobUid };
        const pod = newPod(spec, job, `${jobName}-${prng.suffix(5)}`);
        kubelet.admit(pod);
        if (spec.activeDeadlineSeconds) scheduler.after(spec.activeDeadlineSeconds * 1000, () => deadlineExceeded(pod, jobName));
        pruneHistory(spec);
      }
    }
    scheduler.at(minute + 60_000, cronMinute);
  };

  return {
    install() {
      const createdAt = scheduler.now() - 30 * 86_400_000;
      for (const spec of env.workloads) {
        const uid = prng.uuid();
        const kind = spec.kind === "Deployment" ? "ReplicaSet" : spec.kind;
        const rs: OwnerRef | null = spec.kind === "Deployment" ? { apiVersion: "apps/v1", kind: "ReplicaSet", name: `${spec.name}-${prng.suffix(10)}`, uid: prng.uuid() } : null;
        owners.set(spec.name, rs ?? { apiVersion: kind === "CronJob" ? "batch/v1" : "apps/v1", kind, name: spec.name, uid });
        for (const { resource, object } of workloadObjects(spec, env.namespace, uid, rs, createdAt)) store.put(resource, object);
      }
      scheduler.at(Math.floor(scheduler.now() / 60_000) * 60_000 + 60_000, cronMinute);
    },
    poke() {
      if (pokeQueued) return;
      pokeQueued = true;
      scheduler.after(1_000, () => {
        pokeQueued = false;
        reconcile();
      });
    },
    newPod: (spec) => newPod(spec),
  };
}
