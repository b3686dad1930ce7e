// The simulated SongNodes node, one model behind every face the daemon looks through: the k3s
// unit (systemd), containerd's socket and log, the API server's /readyz, the Node and the pods
// (an ObjectStore the HTTPS stand-in serves), and the local registry (Docker). Time only moves when
// `advance(now)` is called; faults from src/sim/model/faults.ts change how things go from there.
import { createObjectStore } from "../kube/store.js";
import type { KubeObject, ObjectStore } from "../kube/store-types.js";
import { createEventRecorder } from "./events.js";
import { noFaults, type Fault } from "./faults.js";
import { fillerWorkloads, NAMESPACE, NODE_FACTS, registryRepositories, songnodesWorkloads } from "./inventory.js";
import { createK3sUnit, type K3sUnit, type RestartMode } from "./k3s-unit.js";
import { createNodeClock, type NodeClock } from "./node-clock.js";
import { createKubelet } from "./kubelet.js";
import { createControllers } from "./controllers.js";
import { createPrng } from "./prng.js";
import { installPodTermination } from "./pod-termination.js";
import { createRegistry, type RegistryModel } from "./registry.js";
import { createScheduler, type Scheduler } from "./scheduler.js";
import { createNodeRuntime, type NodeRuntime } from "./node-runtime.js";
import { applyFault, type FaultTargets } from "./apply-fault.js";
import { createMaintenanceFacts, type MaintenanceFacts } from "./maintenance-facts.js";
import { addLeftoverNode, addStuckForeignPod } from "./foreign-objects.js";
import { repairNode } from "./repair.js";
import { installRunbookFaces, type RunbookFaces } from "./runbook-faces.js";

export interface SongNodesNodeOptions {
  /** Node time at the start, ms since the epoch. */
  start: number;
  seed: number;
  /** `healthy`: up for a while, everything Running. `boot`: just powered on, k3s starting. */
  initial: "healthy" | "boot";
  store?: ObjectStore;
  /** About this many pods in the namespace: one-replica filler Deployments make up the rest. */
  pods?: number;
  /** k3s.service's RestartMode (systemd ≥ 254); "normal" unless told. */
  restartMode?: RestartMode;
}

/** How long the model runs before the scenario starts, so a healthy node is really settled. */
const WARM_UP_MS = 15 * 60_000;

/** The node model. */
export interface SongNodesNode {
  readonly store: ObjectStore;
  readonly unit: K3sUnit;
  readonly registry: RegistryModel;
  readonly scheduler: Scheduler;
  readonly runtime: NodeRuntime;
  /** What the runbook checks read: unit file states, the registry's restart policy, PDB status. */
  readonly faces: RunbookFaces;
  readonly nodeName: string;
  readonly namespace: string;
  /** What the maintenance checks read: Job history, file systems, volume stats, metrics, Exec. */
  readonly maintenance: MaintenanceFacts;
  /** The node's wall and monotonic clocks (the daemon reads both). */
  readonly clock: NodeClock;
  now(): number;
  /** Apply every transition due by `now`. */
  advance(now: number): void;
  inject(fault: Fault): void;
  /** A person repairs whatever the faults broke (src/sim/model/repair.ts). */
  repair(): void;
  /** Something worth a line in a timeline happened ("k3s.service active (running)"). */
  onNote(listener: (text: string) => void): () => void;
  /** Everything up and every workload pod Ready (the model's truth, not the daemon's view). */
  healthy(): boolean;
  /** One line: k3s, API, node, pods ready. */
  summary(): string;
}

/** Build the node. */
export function createSongNodesNode(options: SongNodesNodeOptions): SongNodesNode {
  // A healthy node has been up a while: play its boot out before the scenario's first second.
  const scheduler = createScheduler(options.start - WARM_UP_MS);
  const prng = createPrng(options.seed);
  const store = options.store ?? createObjectStore({ now: () => scheduler.now() });
  const namespace = NAMESPACE;
  const nodeName = NODE_FACTS.name;
  const faults = noFaults();
  const listeners = new Set<(text: string) => void>();
  const note = (text: string): void => {
    for (const listener of [...listeners]) listener(text);
  };
  const events = createEventRecorder(store, prng, () => scheduler.now(), nodeName);
  // The registry draws its restart times from a source of its own, so they shift nothing else the
  // seed decides (pod names, pull times).
  const registry = createRegistry(scheduler, registryRepositories(), createPrng(options.seed ^ 0x5e6157));
  const chart = songnodesWorkloads();
  const serving = chart.filter((spec) => spec.kind !== "CronJob").length;
  const workloads = [...chart, ...fillerWorkloads(Math.max(0, (options.pods ?? 0) - serving))];

  // The runtime is built first with late-bound pieces: the unit, kubelet and controllers call into it.
  const runtime: NodeRuntime = createNodeRuntime({ scheduler, prng, store, events, registry, faults, namespace, nodeName, note, workloads });
  const clock = createNodeClock(scheduler, options.start - WARM_UP_MS);
  const unit = createK3sUnit(scheduler, runtime.hooks, NODE_FACTS.k3sUnit, clock, options.restartMode);
  const kubelet = createKubelet({
    scheduler, prng, store, events, registry, namespace, nodeName,
    up: () => runtime.kubeletUp(),
    serviceReady: (service) => runtime.serviceReady(service),
    pullMs: (image) => runtime.pullMs(image),
    crashLooping: (workload) => faults.crashLooping.has(workload),
    pullRefusal: (workload) => faults.pullRefused.get(workload) ?? null,
    changed: (pod) => runtime.podChanged(pod),
    wallAt: (t) => clock.wallAt(t),
  });
  const controllers = createControllers({
    scheduler, prng, store, kubelet, events, namespace, workloads,
    up: () => runtime.kubeletUp(),
    deletePod: (pod) => void store.requestDelete("pods", namespace, pod.name, {}),
  });
  const termination = installPodTermination({
    store, scheduler, prng, kubelet, events, namespace,
    kubeletUp: () => runtime.kubeletUp(),
    changed: () => controllers.poke(),
  });
  runtime.bind({ unit, kubelet, controllers, termination });

  let unitLine = "";
  unit.onChange(() => {
    const props = unit.properties();
    const line = `${props.activeState} (${props.subState})${props.result !== "success" ? `, result ${props.result}` : ""}`;
    if (line !== unitLine) note(`k3s.service ${line}`);
    unitLine = line;
  });

  const faces = installRunbookFaces({ store, events, namespace, now: () => scheduler.now() });
  const podsOf = (workload: string) => kubelet.pods().filter((pod) => pod.spec.name === workload && pod.deletionAt === null);
  const targets: FaultTargets = {
    runtime,
    faces,
    crashK3s: (result) => unit.crash(result),
    now: () => scheduler.now(),
    removeImage(workload) {
      const image = workloads.find((spec) => spec.name === workload)?.image ?? "";
      registry.removeImage(image.replace(/^localhost:5000\//, "").split(":")[0] ?? "");
    },
    // A rollout: the pod is replaced, and the replacement has to pull the image again.
    restartWorkloadPod: (workload) => {
      for (const pod of podsOf(workload)) store.requestDelete("pods", namespace, pod.name, {});
    },
    nudgeWorkload: (workload) => {
      for (const pod of podsOf(workload)) kubelet.nudge(pod);
    },
    registryDown: (fixedByRestart, recoversAfter) => registry.breakDown(fixedByRestart, recoversAfter),
    addForeign: (fault) =>
      fault.fault === "leftover-node" ? addLeftoverNode(store, fault.name, scheduler.now()) : addStuckForeignPod(store, namespace, nodeName, fault.image, scheduler.now()),
    maintenance: (fault) => maintenance.inject(fault),
    jumpClock: (byMs) => clock.jump(byMs),
    endsAt: (at) => void scheduler.at(at, () => {}),
  };

  controllers.install();
  const maintenance = createMaintenanceFacts({ store, scheduler, namespace, nodeName, trackRows: () => runtime.trackRows() });
  runtime.initialise();
  scheduler.advance(options.start - (options.initial === "boot" ? 1 : 0));
  // `boot`: the power comes back at the scenario's start, after an unclean loss of power.
  if (options.initial === "boot") runtime.reboot(false, 0);
  scheduler.advance(options.start);

  return {
    store, unit, registry, scheduler, runtime, faces, nodeName, namespace, maintenance, clock,
    now: () => scheduler.now(),
    advance: (now) => scheduler.advance(now),
    inject: (fault) => applyFault(targets, fault),
    repair: () => note(repairNode({ faults, registry, kubelet, termination, runtime, store, namespace })),
    onNote(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    healthy: () => runtime.healthy(),
    summary: () => runtime.summary(),
  };
}

export type { KubeObject };
