// A pod object as the API server returns it, from the kubelet's record: ownerReferences with
// controller: true, status.conditions, init/containerStatuses with state and lastState, the exact
// reasons and messages kubelet and containerd write (kubectl derives its STATUS column from these).
import type { KubeObject } from "../kube/store-types.js";
import type { ContainerEnd, PodRuntime } from "./pod-runtime.js";

/** The API server's timestamp format (RFC 3339, seconds). */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

// The API server stamps objects with the node's wall clock at the moment of each change, which a
// clock step moves; the model keeps node time. `stamp` turns a node time into the wall-clock text
// the API would have written then. It is set for the length of one synchronous renderPod call.
let wallAt: (nodeTime: number) => number = (t) => t;
const stamp = (nodeTime: number): string => isoTime(wallAt(nodeTime));

const HOST_IP = "192.168.1.50";
const ERR_IMAGE_PULL_SHOWN_MS = 3_000;

type State = Record<string, unknown>;

const terminatedState = (end: ContainerEnd): State => ({
  terminated: {
    exitCode: end.exitCode,
    reason: end.reason,
    ...(end.startedAt !== null ? { startedAt: stamp(end.startedAt) } : {}),
    finishedAt: stamp(end.finishedAt),
  },
});

function initStatuses(pod: PodRuntime): State[] {
  return pod.spec.initWaitFor.map((wait, index) => {
    const name = `wait-for-${wait.service}`;
    const base = { name, image: "busybox:1.36", imageID: "", ready: index < pod.initDone, restartCount: 0 };
    if (index < pod.initDone || !["pending", "init"].includes(pod.stage)) {
      return { ...base, ready: true, state: { terminated: { exitCode: 0, reason: "Completed" } } };
    }
    if (index === pod.initDone && pod.stage === "init") return { ...base, state: { running: { startedAt: stamp(pod.startedAt ?? pod.createdAt) } } };
    return { ...base, state: { waiting: { reason: "PodInitializing" } } };
  });
}

function mainState(pod: PodRuntime, now: number): State {
  switch (pod.stage) {
    case "pending":
    case "init":
      return { waiting: { reason: pod.spec.initWaitFor.length > 0 && pod.stage === "init" ? "PodInitializing" : "ContainerCreating" } };
    case "pulling":
      return { waiting: { reason: "ContainerCreating" } };
    case "pull-failed": {
      // ErrImagePull right after the attempt; ImagePullBackOff on the kubelet's next sync. Since
      // Kubernetes 1.30 the back-off message carries the pull error, so the cause stays visible.
      const error = pod.pullError;
      const message = error?.message ?? "";
      if (error?.reason !== undefined) return { waiting: { reason: error.reason, message } };
      return error !== null && now - error.failedAt >= ERR_IMAGE_PULL_SHOWN_MS
        ? { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${pod.spec.image}": ErrImagePull: ${message}` } }
        : { waiting: { reason: "ErrImagePull", message } };
    }
    case "running":
      return { running: { startedAt: stamp(pod.containerStartedAt ?? now) } };
    case "crash-backoff":
      return {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${Math.round(backoffMs(pod.restarts) / 1000)}s restarting failed container=${pod.spec.name} pod=${pod.name}_songnodes(${pod.uid})`,
        },
      };
    case "completed":
    case "unknown":
    case "failed":
      return pod.terminated ? terminatedState(pod.terminated) : { running: { startedAt: stamp(pod.containerStartedAt ?? now) } };
  }
}

/** kubelet's back-off for image pulls and crashing containers: 10 s doubling to 300 s. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

const condition = (type: string, ok: boolean, at: number, extra: State = {}): State => ({
  type, status: ok ? "True" : "False", lastProbeTime: null, lastTransitionTime: stamp(at), ...extra,
});

function phaseOf(pod: PodRuntime): string {
  if (pod.stage === "failed") return pod.failedStillRunning ? "Running" : "Failed";
  if (pod.stage === "completed") return "Succeeded";
  if (pod.unknownKind === "phase-unknown") return "Unknown";
  if (["running", "crash-backoff", "unknown"].includes(pod.stage)) return "Running";
  return "Pending";
}

/** Render the pod object for `nodeName` at node time `now`. */
export function renderPod(pod: PodRuntime, namespace: string, nodeName: string, now: number, wallClockAt: (nodeTime: number) => number = (t) => t): KubeObject {
  const outer = wallAt;
  wallAt = wallClockAt;
  try {
    return render(pod, namespace, nodeName, now);
  } finally {
    wallAt = outer;
  }
}

function render(pod: PodRuntime, namespace: string, nodeName: string, now: number): KubeObject {
  const ready = pod.stage === "running" && pod.readyAt !== null && now >= pod.readyAt;
  const initialized = pod.initDone >= pod.spec.initWaitFor.length && pod.stage !== "pending";
  const container = {
    name: pod.spec.name, image: pod.spec.image, imageID: "", ready, restartCount: pod.restarts,
    started: ["running", "unknown"].includes(pod.stage),
    state: mainState(pod, now),
    lastState: pod.lastTerminated ? terminatedState(pod.lastTerminated) : {},
  };
  const since = pod.containerStartedAt ?? pod.startedAt ?? pod.createdAt;
  const conditions = [
    condition("PodReadyToStartContainers", pod.startedAt !== null && pod.stage !== "pending", pod.startedAt ?? pod.createdAt),
    condition("Initialized", initialized, pod.startedAt ?? pod.createdAt),
    condition("Ready", ready, since, ready ? {} : { reason: "ContainersNotReady", message: `containers with unready status: [${pod.spec.name}]` }),
    condition("ContainersReady", ready, since),
    condition("PodScheduled", true, pod.createdAt),
  ];
  if (pod.failed?.reason === "Terminated" || pod.failed?.reason === "Shutdown") {
    conditions.push(condition("DisruptionTarget", true, pod.terminated?.finishedAt ?? now, {
      reason: "TerminationByKubelet", message: "Pod was terminated in response to imminent node shutdown.",
    }));
  }
  const isJob = pod.owner.kind === "Job";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: pod.name,
      namespace,
      uid: pod.uid,
      creationTimestamp: stamp(pod.createdAt),
      labels: { "app.kubernetes.io/name": pod.spec.name, app: pod.spec.name, ...(isJob ? { "job-name": pod.owner.name } : {}) },
      ownerReferences: [{ ...pod.owner, controller: true }],
      ...(pod.deletionAt !== null ? { deletionTimestamp: stamp(pod.deletionAt), deletionGracePeriodSeconds: pod.graceSeconds ?? 30 } : {}),
      ...(pod.finalizers && pod.finalizers.length > 0 ? { finalizers: [...pod.finalizers] } : {}),
    },
    spec: {
      nodeName,
      restartPolicy: isJob ? "OnFailure" : "Always",
      terminationGracePeriodSeconds: 30,
      initContainers: pod.spec.initWaitFor.map((wait) => ({ name: `wait-for-${wait.service}`, image: "busybox:1.36" })),
      // The chart sets requests and limits on every container (the runbook's resilience checklist).
      containers: [{ name: pod.spec.name, image: pod.spec.image, imagePullPolicy: pod.spec.pullPolicy, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } } }],
    },
    status: {
      phase: phaseOf(pod),
      conditions,
      hostIP: HOST_IP,
      hostIPs: [{ ip: HOST_IP }],
      ...(pod.podIp ? { podIP: pod.podIp, podIPs: [{ ip: pod.podIp }] } : {}),
      ...(pod.startedAt !== null ? { startTime: stamp(pod.startedAt) } : {}),
      ...(pod.failed ? { reason: pod.failed.reason, message: pod.failed.message } : {}),
      ...(pod.spec.initWaitFor.length > 0 ? { initContainerStatuses: initStatuses(pod) } : {}),
      containerStatuses: [container],
      qosClass: "Burstable",
    },
  };
}
