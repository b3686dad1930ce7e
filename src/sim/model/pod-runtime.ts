// What the simulated kubelet knows about one pod; src/sim/model/render-pod.ts turns it into the
// object the API server returns. Kept apart from the object so the kubelet reasons in stages,
// and the JSON is always complete and consistent.
import type { UnknownKind } from "../../core/types.js";
import type { WorkloadSpec } from "./inventory.js";

/** Where a pod is in its life, as the kubelet drives it. */
export type PodStage =
  | "pending" // scheduled, the kubelet has not started it (k3s down, or just created)
  | "init" // init containers waiting for PostgreSQL / Redis (Init:0/1)
  | "pulling" // ContainerCreating while the image is pulled
  | "pull-failed" // ErrImagePull, then ImagePullBackOff until the next attempt
  | "running" // container running (ready once readyAt has passed)
  | "crash-backoff" // CrashLoopBackOff between restarts
  | "completed" // a Job's pod that finished (Completed)
  | "unknown" // shown Unknown (single-node kind, NodeLost, or phase Unknown)
  | "failed"; // phase Failed (a node shutdown)

export interface ContainerEnd {
  reason: string;
  exitCode: number;
  startedAt: number | null;
  finishedAt: number;
}

/** The kubelet's record of one pod. */
export interface PodRuntime {
  name: string;
  uid: string;
  spec: WorkloadSpec;
  owner: { apiVersion: string; kind: string; name: string; uid: string };
  createdAt: number;
  stage: PodStage;
  podIp: string | null;
  /** status.startTime: when the kubelet first took the pod on. */
  startedAt: number | null;
  /** Init containers completed so far. */
  initDone: number;
  containerStartedAt: number | null;
  readyAt: number | null;
  restarts: number;
  /** The last pull failure's message, and when the back-off ends; `reason`: a waiting reason other than ErrImagePull/ImagePullBackOff. */
  pullError: { message: string; failedAt: number; backoffUntil: number; attempts: number; reason?: string } | null;
  crashBackoffUntil: number | null;
  lastTerminated: ContainerEnd | null;
  terminated: ContainerEnd | null;
  unknownKind: UnknownKind | null;
  failed: { reason: string; message: string } | null;
  /** Failed by a node shutdown but left in phase Running (the Kubernetes 1.22 regression): its controller does not replace it. */
  failedStillRunning?: boolean;
  deletionAt: number | null;
  graceSeconds: number | null;
  /** The kubelet never finishes terminating it (a hung unmount): stays Terminating. */
  stuckTerminating: boolean;
  /** metadata.finalizers: while one remains, even a force delete leaves the object (Terminating). */
  finalizers?: string[];
  /** Bumped whenever the pod's course changes, so transitions scheduled earlier do nothing. */
  token: number;
}
