// Node-wide things that happen to pods: containers lost with k3s-killall.sh or a reboot (shown
// Unknown, reason Unknown, exit code 255, until kubelet restarts them), the node-shutdown manager
// failing every pod (reason Terminated), and the pods faults leave behind for the daemon: Unknown
// that kubelet never restarts (the single-node kind, NodeLost, phase Unknown) and stuck Terminating.
import type { UnknownKind } from "../../core/types.js";
import type { ObjectStore } from "../kube/store-types.js";
import type { FaultSwitches } from "./faults.js";
import type { WorkloadSpec } from "./inventory.js";
import type { Kubelet } from "./kubelet.js";
import type { PodTermination } from "./pod-termination.js";
import type { PodRuntime } from "./pod-runtime.js";
import type { Prng } from "./prng.js";
import type { Scheduler } from "./scheduler.js";

export interface PodFaultsEnv {
  scheduler: Scheduler;
  prng: Prng;
  store: ObjectStore;
  faults: FaultSwitches;
  namespace: string;
  nodeName: string;
  workloads: WorkloadSpec[];
  note(text: string): void;
  kubelet(): Kubelet;
  termination(): PodTermination;
  kubeletUp(): boolean;
}

/** Pod-level consequences of node events and faults. */
export interface PodFaults {
  loseContainers(): void;
  /** kubelet's node-shutdown manager fails every pod; `leftRunning`: in phase Running with that reason (Kubernetes 1.22). */
  shutdownPods(leftRunning?: "Terminated" | "Shutdown" | null): void;
  /** `deleted` (NodeLost only): the node controller also set a deletionTimestamp (its eviction). */
  markUnknown(kind: UnknownKind, workloads: string[] | null, deleted?: boolean): void;
  /** Delete these pods (a rollout) and hang their termination; with `finalizer`, the objects also carry it. */
  stickTerminating(workloads: string[], finalizer?: string | null): void;
  kubeletStarted(): void;
  workloadsReady(): { ready: number; total: number };
  /** A Deployment/StatefulSet pod Failed, Unknown or Terminating is still around. */
  leftovers(): boolean;
  noteReadyCount(): void;
}

const SHUTDOWN_MESSAGE = "Pod was terminated in response to imminent node shutdown.";

/** Create the pod faults over the kubelet's pods. */
export function createPodFaults(env: PodFaultsEnv): PodFaults {
  const { scheduler } = env;
  const stuckUnknown = new Set<string>();
  let lastReadyLine = "";
  const live = (pod: PodRuntime) => pod.stage !== "completed" && pod.stage !== "failed";
  const serving = () => env.workloads.filter((spec) => spec.kind !== "CronJob");
  const selected = (workloads: string[] | null) =>
    env.kubelet().pods().filter((pod) => pod.owner.kind !== "Job" && live(pod) && pod.deletionAt === null && (workloads === null || workloads.includes(pod.spec.name)));

  const toUnknown = (pod: PodRuntime): void => {
    pod.token++;
    pod.stage = "unknown";
    pod.unknownKind = "containers-unknown";
    pod.terminated = { reason: "Unknown", exitCode: 255, startedAt: pod.containerStartedAt, finishedAt: scheduler.now() };
    env.kubelet().write(pod);
  };

  const self: PodFaults = {
    loseContainers() {
      for (const pod of env.kubelet().pods()) {
        if (!live(pod) || (pod.startedAt === null && pod.stage === "pending")) continue;
        if (pod.stage === "unknown" && pod.unknownKind !== "containers-unknown") continue;
        toUnknown(pod);
      }
    },
    shutdownPods(leftRunning = null) {
      const pods = env.kubelet().pods().filter(live);
      for (const pod of pods) {
        pod.token++;
        pod.stage = "failed";
        pod.failed = { reason: leftRunning ?? "Terminated", message: SHUTDOWN_MESSAGE };
        if (leftRunning !== null) pod.failedStillRunning = true;
        pod.terminated = { reason: "Error", exitCode: 143, startedAt: pod.containerStartedAt, finishedAt: scheduler.now() };
        env.kubelet().write(pod);
      }
      env.note(`kubelet's node shutdown manager terminated ${pods.length} pods (${leftRunning === null ? "Failed, reason Terminated" : `left in phase Running, reason ${leftRunning}, not Ready`})`);
    },
    markUnknown(kind, workloads, deleted = true) {
      for (const pod of selected(workloads)) {
        stuckUnknown.add(pod.uid);
        if (kind === "containers-unknown") {
          toUnknown(pod);
          continue;
        }
        pod.token++;
        pod.stage = "unknown";
        pod.unknownKind = kind;
        if (kind === "node-lost") {
          // The node controller's eviction: deletionTimestamp set, no kubelet left to confirm it.
          pod.failed = { reason: "NodeLost", message: `Node ${env.nodeName} which was running pod ${pod.name} is unresponsive` };
          if (deleted) {
            pod.deletionAt = scheduler.now() + 30_000;
            pod.graceSeconds = 30;
            pod.stuckTerminating = true;
          }
        }
        env.kubelet().write(pod);
      }
    },
    stickTerminating(workloads, finalizer = null) {
      // A CronJob named here means its Job pods (which `selected` leaves out otherwise).
      const jobs = env.kubelet().pods().filter((pod) => pod.owner.kind === "Job" && live(pod) && pod.deletionAt === null && workloads.includes(pod.spec.name));
      for (const pod of [...selected(workloads), ...jobs]) {
        pod.stuckTerminating = true;
        if (finalizer !== null) pod.finalizers = [...(pod.finalizers ?? []), finalizer];
        env.store.requestDelete("pods", env.namespace, pod.name, { gracePeriodSeconds: 30 });
      }
    },
    kubeletStarted() {
      const pending = env.faults.pendingUnknown;
      env.faults.pendingUnknown = null;
      if (pending) self.markUnknown(pending.kind, pending.workloads, pending.deleted ?? true);
      for (const pod of env.kubelet().pods()) {
        if (pod.stage === "unknown" && pod.unknownKind === "containers-unknown" && !stuckUnknown.has(pod.uid) && pod.deletionAt === null) {
          env.kubelet().restartContainers(pod, env.prng.between(10_000, 40_000));
        }
      }
    },
    workloadsReady() {
      const now = scheduler.now();
      const specs = serving();
      const ready = specs.filter((spec) =>
        env.kubelet().pods().some((pod) => pod.spec.name === spec.name && pod.stage === "running" && pod.deletionAt === null && pod.readyAt !== null && pod.readyAt <= now),
      ).length;
      return { ready, total: specs.length };
    },
    leftovers: () => env.kubelet().pods().some((pod) => pod.owner.kind !== "Job" && (pod.stage === "failed" || pod.stage === "unknown" || pod.deletionAt !== null)),
    noteReadyCount() {
      if (!env.kubeletUp()) return;
      const { ready, total } = self.workloadsReady();
      const line = `pods ready ${ready}/${total}`;
      if (line !== lastReadyLine) env.note(line);
      lastReadyLine = line;
    },
  };
  return self;
}
