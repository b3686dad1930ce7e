// `simulate --serve --pods N`: extra pods so the namespace holds about N, for measuring what the
// daemon costs on a bigger node. They belong to one filler Deployment (with its ReplicaSet), are
// rendered by the model's own renderPod (Running, Ready, the same conditions and container
// statuses kubelet writes) and sit in the store the API serves, so the daemon's watch, podView and
// interpretPods handle them like any pod. The model's kubelet does not drive them: they stay
// Running whatever happens to k3s, so they are for cost measurements, not for fault scenarios.
import { randomUUID } from "node:crypto";
import type { ObjectStore } from "../kube/store-types.js";
import type { WorkloadSpec } from "../model/inventory.js";
import type { PodRuntime } from "../model/pod-runtime.js";
import { renderPod } from "../model/render-pod.js";
import { workloadObjects, type OwnerRef } from "../model/workload-objects.js";

/** The filler workload's name (its pods are `bench-filler-<rs>-<suffix>`). */
export const FILLER_WORKLOAD = "bench-filler";

// Not a localhost:5000 image, so the registry checks never concern the filler pods.
const FILLER_SPEC: WorkloadSpec = {
  kind: "Deployment", name: FILLER_WORKLOAD, image: "registry.k8s.io/pause:3.9", pullPolicy: "IfNotPresent",
  initWaitFor: [], startupSeconds: [5, 25], pvc: null, pdbMinAvailable: null, schedule: null, activeDeadlineSeconds: null,
};

const DAY_MS = 86_400_000;

/** A 5-character pod-name suffix from an index, in the alphabet ReplicaSet suffixes use. */
function suffix(index: number): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let text = "";
  let rest = index;
  for (let i = 0; i < 5; i++) {
    text += alphabet[rest % alphabet.length];
    rest = Math.floor(rest / alphabet.length);
  }
  return text;
}

/** Add filler pods so `namespace` holds about `total` pods; returns how many were added (0 when it already has that many). */
export function addFillerPods(store: ObjectStore, namespace: string, nodeName: string, total: number, now: number): number {
  const count = Math.max(0, Math.floor(total) - store.list("pods", namespace).items.length);
  if (count === 0) return 0;
  const createdAt = now - DAY_MS;
  const deploymentUid = randomUUID();
  const rs: OwnerRef = { apiVersion: "apps/v1", kind: "ReplicaSet", name: `${FILLER_WORKLOAD}-7c9d5b8f4d`, uid: randomUUID() };
  for (const { resource, object } of workloadObjects(FILLER_SPEC, namespace, deploymentUid, rs, createdAt)) {
    store.put(resource, { ...object, spec: { ...(object.spec as object), replicas: count } });
  }
  for (let i = 0; i < count; i++) {
    const started = createdAt + 2_000;
    const pod: PodRuntime = {
      name: `${rs.name}-${suffix(i)}`, uid: randomUUID(), spec: FILLER_SPEC, owner: rs, createdAt, stage: "running",
      podIp: `10.42.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`, startedAt: started, initDone: 0,
      containerStartedAt: started + 1_000, readyAt: started + 6_000, restarts: 0, pullError: null, crashBackoffUntil: null,
      lastTerminated: null, terminated: null, unknownKind: null, failed: null, deletionAt: null, graceSeconds: null,
      stuckTerminating: false, token: 0,
    };
    store.put("pods", renderPod(pod, namespace, nodeName, now));
  }
  return count;
}
