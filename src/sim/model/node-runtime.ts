// The node's own state between the parts: whether k3s's process, containerd, the API server and
// the kubelet are up, the Node's Ready condition, the boot id, and the node-wide events (a k3s
// start, killall, a reboot). The unit, the kubelet and the controllers call in here; the faults set
// its switches; the virtual-clock probes read its facts.
import type { ObjectStore } from "../kube/store-types.js";
import type { JobResult } from "../systemd1/unit-driver.js";
import { healthyContainerdLog } from "./containerd-log.js";
import { planK3sStart } from "./k3s-start-plan.js";
import type { Controllers } from "./controllers.js";
import type { EventRecorder } from "./events.js";
import type { FaultSwitches } from "./faults.js";
import type { WorkloadSpec } from "./inventory.js";
import type { K3sProcessHooks, K3sUnit } from "./k3s-unit.js";
import type { Kubelet } from "./kubelet.js";
import { NOT_READY, READY, renderNode, STOPPED_POSTING, type NodeReadiness } from "./node-object.js";
import type { PodTermination } from "./pod-termination.js";
import type { PodRuntime } from "./pod-runtime.js";
import type { Prng } from "./prng.js";
import type { RegistryModel } from "./registry.js";
import { isoTime } from "./render-pod.js";
import type { Scheduler } from "./scheduler.js";
import { createPodFaults, type PodFaults } from "./pod-faults.js";

export interface NodeRuntimeEnv {
  scheduler: Scheduler;
  prng: Prng;
  store: ObjectStore;
  events: EventRecorder;
  registry: RegistryModel;
  faults: FaultSwitches;
  namespace: string;
  nodeName: string;
  workloads: WorkloadSpec[];
  note(text: string): void;
}

/** How the API server answers right now. */
export type ApiAnswer = "ok" | "refused" | "500" | "hang";

// The node controller marks a node Unknown when kubelet has been silent this long.
const NODE_MONITOR_GRACE_MS = 40_000;

/** The node's runtime state and node-wide operations. */
export interface NodeRuntime extends PodFaults {
  readonly hooks: K3sProcessHooks;
  readonly faults: FaultSwitches;
  bind(parts: { unit: K3sUnit; kubelet: Kubelet; controllers: Controllers; termination: PodTermination }): void;
  /** Power on: systemd starts k3s (enabled at boot). */
  initialise(): void;
  kubeletUp(): boolean;
  serviceReady(service: string): boolean;
  pullMs(image: string): number;
  podChanged(pod: PodRuntime): void;
  systemdReachable(): boolean;
  containerdSocket(): { exists: boolean; accepts: boolean };
  apiAnswer(): ApiAnswer;
  containerdLog(): string;
  k3sJournal(): string;
  bootId(): string;
  /** False between a power loss and the next boot (the daemon is not running either). */
  poweredOn(): boolean;
  trackRows(): number;
  loseRows(rows: number): void;
  /** `systemctl restart k3s` (reset-failed first when asked); resolves when the unit settles. */
  restartK3s(resetFailed: boolean): Promise<JobResult>;
  /**
   * What k3s-killall.sh itself does: kill k3s, containerd and every container, remove /run/k3s. It
   * starts nothing; a k3s still running when it is called dies by signal (systemd may restart it).
   */
  killallScript(): void;
  /** The daemon's killall remedy: stop k3s, k3s-killall.sh, start k3s. */
  killall(): Promise<JobResult>;
  /** containerd died under a running k3s (its socket goes). */
  containerdDied(): void;
  postReady(): void;
  /** `leftRunning`: the shutdown leaves pods in phase Running with this reason (Kubernetes 1.22). */
  reboot(graceful: boolean, downForMs: number, leftRunning?: "Terminated" | "Shutdown" | null): void;
  healthy(): boolean;
  summary(): string;
}

/** Create the runtime; `bind` hands it the parts built after it. */
export function createNodeRuntime(env: NodeRuntimeEnv): NodeRuntime {
  const { scheduler, prng, store, faults } = env;
  let unit!: K3sUnit;
  let kubelet!: Kubelet;
  let controllers!: Controllers;
  let termination!: PodTermination;
  let k3sUp = false, apiUp = false, kubeletUp = false, containerdUp = false, socketFile = false;
  let generation = 0;
  let bootId = prng.uuid();
  let powered = true;
  let rows = 48_213;
  let containerdLogText = "";
  let journalText = "";
  let nodeUid: string | null = null;
  const nodeCreatedAt = scheduler.now();
  let ready: NodeReadiness = { ...STOPPED_POSTING, since: scheduler.now(), heartbeat: scheduler.now() };
  let readyLine = "";

  const writeNode = (): void => {
    nodeUid ??= prng.uuid();
    store.put("nodes", renderNode(env.nodeName, nodeUid, nodeCreatedAt, ready, bootId));
    const line = `node ${env.nodeName} Ready=${ready.status}${ready.status === "True" ? "" : ` (${ready.reason})`}`;
    if (line !== readyLine) env.note(line);
    readyLine = line;
  };
  const setReady = (next: Omit<NodeReadiness, "since" | "heartbeat">): void => {
    const now = scheduler.now();
    ready = { ...next, since: next.status === ready.status ? ready.since : now, heartbeat: now };
    writeNode();
  };
  const notReadyActive = (): boolean => faults.notReady !== null && (faults.notReady.until === null || scheduler.now() < faults.notReady.until);

  const postReady = (): void => {
    if (!kubeletUp && !(k3sUp && apiUp)) return;
    if (!containerdUp) {
      setReady({ status: "False", reason: "KubeletNotReady", message: "container runtime is down, PLEG is not healthy: pleg was last seen active 3m0s ago; threshold is 3m0s" });
    } else setReady(notReadyActive() ? NOT_READY : READY);
    if (faults.notReady?.until && scheduler.now() < faults.notReady.until) scheduler.at(faults.notReady.until, postReady);
  };

  const podFaults = createPodFaults({
    ...env, kubelet: () => kubelet, termination: () => termination, kubeletUp: () => kubeletUp,
  });

  const hooks: K3sProcessHooks = {
    planStart() {
      journalText = "";
      const next = planK3sStart(faults, prng, scheduler.now());
      if (next.logs !== null) ({ containerdLog: containerdLogText, journal: journalText } = next.logs);
      return next.plan;
    },
    started() {
      const mine = ++generation;
      k3sUp = true;
      containerdUp = faults.socketMissing === null;
      socketFile = containerdUp;
      if (containerdUp) containerdLogText = healthyContainerdLog(isoTime(scheduler.now()));
      scheduler.after(prng.between(3_000, 8_000), () => {
        if (generation !== mine) return;
        apiUp = true;
        env.note("API server ready (/readyz 200)");
        // The node controller runs before kubelet posts again: a silent kubelet means Unknown.
        if (nodeUid !== null && scheduler.now() - ready.heartbeat > NODE_MONITOR_GRACE_MS && ready.status !== "Unknown") {
          ready = { ...STOPPED_POSTING, since: scheduler.now(), heartbeat: ready.heartbeat };
          writeNode();
        }
        scheduler.after(prng.between(5_000, 15_000), () => {
          if (generation !== mine) return;
          if (!containerdUp) return postReady();
          kubeletUp = true;
          postReady();
          kubelet.resync();
          podFaults.kubeletStarted();
          termination.resume();
          controllers.poke();
        });
      });
      if (faults.crashLoop && faults.crashLoop.remaining !== 0) {
        scheduler.after(faults.crashLoop.every, () => {
          if (generation !== mine || !faults.crashLoop) return;
          if (faults.crashLoop.remaining !== null) faults.crashLoop.remaining--;
          unit.crash("exit-code");
        });
      }
    },
    exited() {
      generation++;
      k3sUp = apiUp = kubeletUp = containerdUp = false;
      if (faults.notReady?.fixedByRestart) faults.notReady = null;
      if (faults.socketMissing === "restart") faults.socketMissing = null;
      // The API server is part of k3s's process: a restart brings up a fresh one, unless what breaks
      // it lies outside the process (survivesRestart: a broken datastore, a full disk).
      if (!faults.api?.survivesRestart) faults.api = null;
    },
    startLimitHit: () => faults.startLimit,
    startLimitResult: () => faults.startLimitWording,
  };

  const runtime: NodeRuntime = {
    ...podFaults,
    hooks, faults,
    bind(parts) {
      ({ unit, kubelet, controllers, termination } = parts);
    },
    initialise() {
      void unit.start();
    },
    kubeletUp: () => kubeletUp,
    serviceReady: (service) => kubelet.pods().some((pod) => pod.spec.name === service && pod.stage === "running" && pod.deletionAt === null && pod.readyAt !== null && pod.readyAt <= scheduler.now()),
    pullMs: (image) => {
      const slow = faults.slowPulls;
      const workload = env.workloads.find((spec) => spec.image === image)?.name ?? "";
      if (slow && (slow.workloads === null || slow.workloads.includes(workload))) return slow.duration;
      return prng.between(5_000, 40_000);
    },
    podChanged: () => {
      controllers.poke();
      podFaults.noteReadyCount();
    },
    systemdReachable: () => faults.systemdUntil === "none" || (faults.systemdUntil !== null && scheduler.now() >= faults.systemdUntil),
    containerdSocket: () => ({ exists: socketFile, accepts: socketFile && containerdUp }),
    apiAnswer() {
      if (!k3sUp) return "refused";
      const fault = faults.api;
      if (fault && (fault.until === null || scheduler.now() < fault.until)) return fault.mode === "down" ? "refused" : fault.mode;
      return apiUp ? "ok" : "500";
    },
    containerdLog: () => containerdLogText,
    k3sJournal: () => journalText,
    bootId: () => bootId,
    poweredOn: () => powered,
    trackRows: () => rows,
    loseRows: (lost) => void (rows = Math.max(0, rows - lost)),
    restartK3s(resetFailed) {
      if (resetFailed) unit.resetFailed();
      return unit.restart();
    },
    killallScript() {
      unit.crash("signal");
      podFaults.loseContainers();
      containerdUp = false;
      socketFile = false;
      env.note("k3s-killall.sh: k3s, containerd-shims and containers killed, /run/k3s removed");
      if (faults.socketMissing === "killall") faults.socketMissing = null;
    },
    async killall() {
      await unit.stop();
      runtime.killallScript();
      return unit.start();
    },
    containerdDied() {
      containerdUp = false;
      socketFile = false;
      kubeletUp = false;
      postReady();
    },
    postReady,
    reboot(graceful, downForMs, leftRunning = null) {
      if (graceful && kubeletUp) podFaults.shutdownPods(leftRunning);
      env.note(graceful ? "node shutting down (reboot)" : "node lost power (unexpected reboot)");
      unit.powerOff();
      env.registry.nodeDown();
      podFaults.loseContainers();
      socketFile = false;
      bootId = prng.uuid();
      powered = false;
      scheduler.after(downForMs, () => {
        powered = true;
        env.note(`node booted, boot id ${bootId}`);
        env.registry.nodeUp();
        scheduler.after(3_000, () => void unit.start());
      });
    },
    healthy() {
      const podsOk = podFaults.workloadsReady().ready === podFaults.workloadsReady().total && !podFaults.leftovers();
      // The API as a client reads it: an api-500 or api-hang fault leaves the node unhealthy too.
      return runtime.apiAnswer() === "ok" && kubeletUp && containerdUp && ready.status === "True" && env.registry.apiUp() && podsOk;
    },
    summary() {
      const props = unit.properties();
      const counts = podFaults.workloadsReady();
      return `k3s ${props.activeState} (${props.subState}), API ${runtime.apiAnswer()}, node Ready=${ready.status}, registry ${env.registry.apiUp() ? "up" : env.registry.containerState()}, pods ready ${counts.ready}/${counts.total}`;
    },
  };
  return runtime;
}
