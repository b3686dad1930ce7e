// The simulated kubelet: drives each pod through Pending → Init:0/1 (waiting for PostgreSQL or
// Redis) → ContainerCreating while pulling → Running, with ImagePullBackOff and CrashLoopBackOff
// back-offs growing to 300 s, and writes the pod and its events after every change. It only acts
// while k3s runs; when k3s comes back it picks every pod up again from where it stood.
import type { ObjectStore } from "../kube/store-types.js";
import type { EventRecorder } from "./events.js";
import type { Prng } from "./prng.js";
import type { PodRuntime } from "./pod-runtime.js";
import type { RegistryModel } from "./registry.js";
import { backoffMs, renderPod } from "./render-pod.js";
import type { Scheduler } from "./scheduler.js";

/** What the kubelet needs from the rest of the node. */
export interface KubeletEnv {
  scheduler: Scheduler;
  prng: Prng;
  store: ObjectStore;
  events: EventRecorder;
  registry: RegistryModel;
  namespace: string;
  nodeName: string;
  /** k3s is running (the kubelet is part of it). */
  up(): boolean;
  /** A service's pod is Ready (what the chart's init containers poll for). */
  serviceReady(service: string): boolean;
  /** How long pulling this image takes now (slow-pull faults lengthen it). */
  pullMs(image: string): number;
  crashLooping(workload: string): boolean;
  /** How this workload's pulls are refused (an `image-refused` fault), or null. */
  pullRefusal?(workload: string): "access-denied" | "never-pull" | null;
  /** A pod changed: controllers and waiting init containers may react. */
  changed(pod: PodRuntime): void;
  /** The node's wall clock at a node time: the API stamps objects with it (a clock step moves it). */
  wallAt?(nodeTime: number): number;
}

/** containerd's errors, as they reach the pod's waiting message (docs/design.md §3). */
export function pullErrorMessage(image: string, cause: "registry-down" | "image-missing"): string {
  const reference = image.replace(/^localhost:5000\//, "");
  return cause === "registry-down"
    ? `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "http://localhost:5000/v2/${reference.split(":")[0]}/manifests/${reference.split(":")[1] ?? "latest"}": dial tcp 127.0.0.1:5000: connect: connection refused`
    : `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
}

/** The kubelet over the pods it holds. */
export interface Kubelet {
  pods(): PodRuntime[];
  /** A controller created a pod: store it and start it. */
  admit(pod: PodRuntime): void;
  /** Write the pod's object again (after a change made outside the kubelet). */
  write(pod: PodRuntime): void;
  /** Take every pod up again after k3s (re)started. */
  resync(): void;
  /** Start a pod's containers again after they were lost (kubelet's restart of a sandbox). */
  restartContainers(pod: PodRuntime, delayMs: number): void;
  forget(uid: string): void;
  /** Re-plan one pod's next step (after a fault changed how it goes). */
  nudge(pod: PodRuntime): void;
}

/** Create the kubelet. */
export function createKubelet(env: KubeletEnv): Kubelet {
  const { scheduler, prng, events } = env;
  const pods = new Map<string, PodRuntime>();
  const subject = (pod: PodRuntime) => ({ kind: "Pod", name: pod.name, namespace: env.namespace, uid: pod.uid });

  const write = (pod: PodRuntime): void => {
    if (!pods.has(pod.uid)) return;
    env.store.put("pods", renderPod(pod, env.namespace, env.nodeName, scheduler.now(), env.wallAt));
    env.changed(pod);
  };
  // Run `fn` after `delayMs` unless the pod's course changed meanwhile or k3s went down.
  const later = (pod: PodRuntime, delayMs: number, fn: () => void): void => {
    const token = pod.token;
    scheduler.after(delayMs, () => {
      if (pod.token !== token || !pods.has(pod.uid) || !env.up()) return;
      fn();
    });
  };

  const begin = (pod: PodRuntime): void => {
    pod.startedAt ??= scheduler.now();
    pod.podIp ??= `10.42.0.${10 + Math.floor(prng.next() * 240)}`;
    events.record(subject(pod), "Normal", "Scheduled", `Successfully assigned ${env.namespace}/${pod.name} to ${env.nodeName}`, "default-scheduler");
    if (pod.initDone < pod.spec.initWaitFor.length) {
      pod.stage = "init";
      write(pod);
      waitForService(pod);
    } else pull(pod);
  };

  // The chart's init containers loop on `nc -z <service>` every couple of seconds.
  const waitForService = (pod: PodRuntime): void => {
    later(pod, 5_000, () => {
      const wait = pod.spec.initWaitFor[pod.initDone];
      if (!wait) return pull(pod);
      if (env.serviceReady(wait.service)) {
        pod.initDone++;
        if (pod.initDone >= pod.spec.initWaitFor.length) return pull(pod);
        write(pod);
      }
      waitForService(pod);
    });
  };

  const pull = (pod: PodRuntime): void => {
    const image = pod.spec.image;
    // A refused pull keeps showing its last error while kubelet tries again (no ContainerCreating between).
    const refusal = env.pullRefusal?.(pod.spec.name) ?? null;
    if (refusal === null || pod.stage !== "pull-failed") {
      pod.stage = "pulling";
      write(pod);
    }
    pod.token++;
    if (refusal === "never-pull") {
      return later(pod, prng.between(200, 1_500), () => pullFailed(pod, `Container image "${image}" is not present with pull policy of Never`, "ErrImageNeverPull"));
    }
    if (refusal === "access-denied") {
      const repository = image.replace(/:[^:/]*$/, "");
      return later(pod, prng.between(200, 1_500), () => pullFailed(pod, `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed (repository ${repository})`));
    }
    if (pod.spec.pullPolicy !== "Always") {
      events.record(subject(pod), "Normal", "Pulled", `Container image "${image}" already present on machine`);
      return later(pod, prng.between(1_000, 3_000), () => run(pod));
    }
    events.record(subject(pod), "Normal", "Pulling", `Pulling image "${image}"`);
    // Only localhost:5000 images come from the local registry; others are pulled from elsewhere.
    const local = image.startsWith("localhost:5000/");
    const cause = !local ? null : !env.registry.apiUp() ? "registry-down" : !env.registry.hasImage(image) ? "image-missing" : null;
    if (cause) return later(pod, prng.between(200, 1_500), () => pullFailed(pod, pullErrorMessage(image, cause)));
    const took = env.pullMs(image);
    later(pod, took, () => {
      events.record(subject(pod), "Normal", "Pulled", `Successfully pulled image "${image}" in ${(took / 1000).toFixed(3)}s (${(took / 1000).toFixed(3)}s including waiting). Image size: 412873521 bytes.`);
      run(pod);
    });
  };

  // `reason`: a refusal kubelet shows as is (ErrImageNeverPull), with no ImagePullBackOff after it.
  const pullFailed = (pod: PodRuntime, message: string, reason?: string): void => {
    const attempts = (pod.pullError?.attempts ?? 0) + 1;
    const wait = backoffMs(attempts);
    pod.stage = "pull-failed";
    pod.pullError = { message, failedAt: scheduler.now(), backoffUntil: scheduler.now() + wait, attempts, ...(reason !== undefined ? { reason } : {}) };
    events.record(subject(pod), "Warning", "Failed", reason === undefined ? `Failed to pull image "${pod.spec.image}": ${message}` : message);
    events.record(subject(pod), "Warning", "Failed", `Error: ${reason ?? "ErrImagePull"}`);
    write(pod);
    if (reason === undefined) later(pod, 3_000, () => {
      events.record(subject(pod), "Normal", "BackOff", `Back-off pulling image "${pod.spec.image}"`);
      events.record(subject(pod), "Warning", "Failed", "Error: ImagePullBackOff");
      write(pod);
    });
    later(pod, wait, () => pull(pod));
  };

  const run = (pod: PodRuntime): void => {
    const now = scheduler.now();
    pod.stage = "running";
    pod.pullError = null;
    pod.containerStartedAt = now;
    const [min, max] = pod.spec.startupSeconds;
    // The chart's CronJob containers have no readiness probe, and a container without one is Ready
    // as soon as it runs; the services' readiness probes take their startup time.
    pod.readyAt = pod.owner.kind === "Job" ? now : now + prng.between(min * 1000, max * 1000);
    events.record(subject(pod), "Normal", "Created", `Created container ${pod.spec.name}`);
    events.record(subject(pod), "Normal", "Started", `Started container ${pod.spec.name}`);
    write(pod);
    if (pod.owner.kind === "Job") return later(pod, prng.between(30_000, 240_000), () => complete(pod));
    if (env.crashLooping(pod.spec.name)) return later(pod, 8_000, () => crash(pod));
    later(pod, pod.readyAt - now, () => write(pod));
  };

  const complete = (pod: PodRuntime): void => {
    pod.stage = "completed";
    pod.terminated = { reason: "Completed", exitCode: 0, startedAt: pod.containerStartedAt, finishedAt: scheduler.now() };
    write(pod);
  };

  // An application bug: the container exits 1, kubelet restarts it after a growing back-off.
  const crash = (pod: PodRuntime): void => {
    pod.restarts++;
    pod.lastTerminated = { reason: "Error", exitCode: 1, startedAt: pod.containerStartedAt, finishedAt: scheduler.now() };
    pod.stage = "crash-backoff";
    events.record(subject(pod), "Warning", "BackOff", `Back-off restarting failed container ${pod.spec.name} in pod ${pod.name}_${env.namespace}(${pod.uid})`);
    write(pod);
    later(pod, backoffMs(pod.restarts), () => run(pod));
  };

  const progress = (pod: PodRuntime): void => {
    pod.token++;
    switch (pod.stage) {
      case "pending":
        return later(pod, prng.between(1_000, 3_000), () => begin(pod));
      case "init":
        return waitForService(pod);
      case "pulling":
      case "pull-failed":
        return later(pod, 1_000, () => pull(pod));
      case "crash-backoff":
        return later(pod, backoffMs(pod.restarts), () => run(pod));
      case "running":
        if (pod.owner.kind === "Job") return later(pod, prng.between(30_000, 120_000), () => complete(pod));
        if (env.crashLooping(pod.spec.name)) return later(pod, 8_000, () => crash(pod));
        if (pod.readyAt !== null && pod.readyAt > scheduler.now()) return later(pod, pod.readyAt - scheduler.now(), () => write(pod));
        return;
      default:
        return;
    }
  };

  return {
    pods: () => [...pods.values()],
    admit(pod) {
      pods.set(pod.uid, pod);
      write(pod);
      if (env.up()) progress(pod);
    },
    write,
    resync() {
      for (const pod of pods.values()) if (pod.deletionAt === null) progress(pod);
    },
    restartContainers(pod, delayMs) {
      pod.token++;
      later(pod, delayMs, () => {
        pod.restarts++;
        pod.lastTerminated = pod.terminated;
        pod.terminated = null;
        pod.unknownKind = null;
        pod.initDone = 0;
        pod.containerStartedAt = null;
        pod.readyAt = null;
        events.record(subject(pod), "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
        begin(pod);
      });
    },
    forget: (uid) => void pods.delete(uid),
    nudge: (pod) => {
      if (env.up()) progress(pod);
    },
  };
}
