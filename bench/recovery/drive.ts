// The recovery bench's driver: one scenario, one contender, on the node model's virtual clock.
// It plays the scenario's faults at their times, advances the model from one transition to the
// next (so health is known to the millisecond of node time), wakes the contender on its tick and,
// when it is event-driven as the daemon is, 50 ms after a k3s unit change, a pod/node watch event,
// a connection the daemon holds breaking (the API's watches when the API starts refusing, the D-Bus
// connection when systemd becomes unreachable) (src/daemon/scheduler.ts, DEBOUNCE_MS). A power loss
// stops the contender; boot starts it again.
import { parseConfig } from "../../src/config/load.js";
import type { RemedyKind } from "../../src/core/types.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimActions } from "../../src/sim/ports/sim-actions.js";
import { createSimProbes } from "../../src/sim/ports/sim-probes.js";
import type { ProbeSet } from "../../src/daemon/read-probes.js";
import { DEBOUNCE_MS } from "../../src/daemon/scheduler.js";
import type { Scenario } from "../../src/sim/scenario/schema.js";
import type { Contender, Running } from "./contender.js";
import { followPodTruth } from "./pod-truth.js";

/** The scheduler's debounce after an event. */
export const EVENT_DEBOUNCE_MS = DEBOUNCE_MS;

/** What one run measured; times are ms of node time after the trouble began (`troubleAt`). */
export interface RunMetrics {
  scenario: string;
  contender: string;
  /** Node time (since the scenario's start) of the first fault, 0 for a boot with no fault before. */
  troubleAt: number;
  /** First iteration at or after the trouble whose own check saw it; null if never. */
  detectMs: number | null;
  /** Start of the healthy stretch that lasts to the end (model truth); null if unhealthy at the end. */
  healthyMs: number | null;
  endedHealthy: boolean;
  actions: Record<RemedyKind, number>;
  podsDeleted: number;
  /** The name of every pod object a deletion reached, once per deletion. */
  deletedPods: string[];
  /** For each deleted pod with a hold-off: deletion time minus when its hold-off ran out (ms). */
  podLateness: { pod: string; condition: string; lateMs: number }[];
  iterations: number;
  wallMs: number;
}

function nodeReady(node: ReturnType<typeof createSongNodesNode>): boolean {
  const object = node.store.get("nodes", null, node.nodeName) as { status?: { conditions?: { type: string; status: string }[] } } | undefined;
  return object?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** Run `scenario` with `contender`. */
export async function drive(scenario: Scenario, contender: Contender): Promise<RunMetrics> {
  const wallStart = performance.now();
  const config = parseConfig(scenario.config, `scenario ${scenario.name}: config`);
  const start = Date.parse(scenario.startAt);
  const node = createSongNodesNode({ start, seed: scenario.seed, initial: scenario.start });
  const probes = createSimProbes(node, config) as ProbeSet;
  const sim = createSimActions(node, config.k3s.unit);
  const truth = followPodTruth(node, config);
  // What each pod's condition was when a deletion was asked (the deletion itself changes it).
  const atDeletion = new Map<string, ReturnType<typeof truth.sighting>>();
  const deletePods = sim.actions["delete-pods"];
  sim.actions["delete-pods"] = {
    kind: "delete-pods",
    run: (command, signal) => {
      if (command.kind === "delete-pods") for (const pod of command.pods) if (!atDeletion.has(pod.uid)) atDeletion.set(pod.uid, truth.sighting(pod.uid));
      return deletePods.run(command, signal);
    },
  };
  let now = start;
  const clock = { now: () => now };
  const memory = new Map<string, unknown>();
  const end = start + scenario.duration;
  const faults = [...scenario.faults].sort((a, b) => a.at - b.at);
  const operator = [...scenario.operator].sort((a, b) => a.at - b.at);
  const troubleAt = start + (scenario.start === "boot" ? 0 : (faults[0]?.at ?? 0));

  let wakeAt: number | null = null;
  const onEvent = (): void => {
    if (contender.eventDriven && wakeAt === null) wakeAt = node.now() + EVENT_DEBOUNCE_MS;
  };
  const unwatch = [node.unit.onChange(onEvent), node.store.watch("pods", node.namespace, null, onEvent), node.store.watch("nodes", null, null, onEvent)];
  // The real daemon holds open connections that break when the API server or the bus goes away: the
  // watches' streams (src/kube/watch-cache.ts: "watch lost … probing the API now") and the D-Bus
  // connection (src/systemd/dbus-unit-watchers.ts). A 500 or a hang leaves them open: no wake-up.
  // So is its connection to containerd's socket (src/probes/containerd-socket.ts), which containerd's death closes.
  const connections = () => ({ api: node.runtime.apiAnswer() !== "refused", bus: node.runtime.systemdReachable(), containerd: node.runtime.containerdSocket().accepts });
  let held = connections();
  const onConnections = (): void => {
    const now = connections();
    if ((held.api && !now.api) || (held.bus && !now.bus) || (held.containerd && !now.containerd)) onEvent();
    held = now;
  };

  let running: Running | null = null;
  // The first iteration runs at start-up; after it the tick runs half a period out of phase with
  // the faults (which sit on whole seconds), so a poller's detection is its average, not its luck.
  let nextTick = start;
  let firstTick = true;
  let detectAt: number | null = null;
  let healthySince: number | null = node.healthy() && node.runtime.apiAnswer() === "ok" ? start : null;
  let iterations = 0;
  // Since when the API has answered and the node been Ready, without a break (model truth): a pod's
  // hold-off cannot run while the pods cannot be listed, and nothing is deleted on a node not Ready.
  let visibleSince: number | null = null;
  let readySince: number | null = null;
  const visibility: { at: number; visibleSince: number | null; readySince: number | null }[] = [];
  while (now < end) {
    const candidates = [end, nextTick, wakeAt ?? Infinity, start + (faults[0]?.at ?? Infinity), start + (operator[0]?.at ?? Infinity), node.scheduler.nextDue() ?? Infinity];
    const next = Math.max(now, Math.min(...candidates));
    node.advance(next);
    now = next;
    onConnections();
    while (faults.length > 0 && start + (faults[0]?.at ?? 0) <= now) {
      const { at: _at, ...fault } = faults.shift() as Scenario["faults"][number];
      node.inject(fault);
    }
    onConnections();
    while (operator.length > 0 && start + (operator[0]?.at ?? 0) <= now) {
      const step = operator.shift() as Scenario["operator"][number];
      // Maintenance requests reach only a contender with a control socket (the daemon); a script has none.
      if ("pause" in step) running?.request?.({ kind: "pause", until: now + step.pause, reason: step.reason });
      else if ("resume" in step) running?.request?.({ kind: "resume", reason: step.resume });
      else if (running !== null) running = contender.start({ node, config, rawConfig: scenario.config, probes, sim, clock, memory });
    }
    if (!node.runtime.poweredOn()) {
      running = null;
      wakeAt = null;
      if (now >= nextTick) nextTick = now + contender.tickMs;
    } else if (now >= nextTick || (wakeAt !== null && now >= wakeAt)) {
      if (now >= nextTick) nextTick = firstTick ? now + contender.tickMs / 2 + 250 : now + contender.tickMs;
      firstTick = false;
      wakeAt = null;
      running ??= contender.start({ node, config, rawConfig: scenario.config, probes, sim, clock, memory });
      const iteration = await running.iterate(now);
      iterations++;
      // As src/daemon/scheduler.ts: a hold-off that runs out before the next tick wakes the loop (+20 ms).
      if (iteration.wakeAt != null && iteration.wakeAt + 20 < nextTick) wakeAt = Math.min(wakeAt ?? Infinity, iteration.wakeAt + 20);
      // …and after a remedy it looks at its effect at once (the debounce later).
      if (contender.eventDriven && iteration.commands.some((c) => c.kind !== "announce")) wakeAt = Math.min(wakeAt ?? Infinity, now + EVENT_DEBOUNCE_MS);
      if (detectAt === null && now >= troubleAt && iteration.sawTrouble) detectAt = now;
    }
    const visible = node.runtime.apiAnswer() === "ok";
    const ready = visible && nodeReady(node);
    const nextVisible: number | null = visible ? (visibleSince ?? now) : null;
    const nextReady: number | null = ready ? (readySince ?? now) : null;
    if (nextVisible !== visibleSince || nextReady !== readySince) visibility.push({ at: now, visibleSince: nextVisible, readySince: nextReady });
    visibleSince = nextVisible;
    readySince = nextReady;
    // The model's own healthy() does not look at the API's fault switch: an API that refuses is not healthy.
    const healthy = node.healthy() && visible;
    if (!healthy) healthySince = null;
    else healthySince ??= now;
    if (now >= end) break;
  }
  for (const off of unwatch) off();
  truth.stop();

  const actions: Record<RemedyKind, number> = { "restart-k3s": 0, "killall-k3s": 0, "restart-registry": 0, "delete-pods": 0 };
  const podLateness: RunMetrics["podLateness"] = [];
  let podsDeleted = 0;
  const deletedPods: string[] = [];
  // Only remedies that reached the node count: a restart refused because D-Bus is gone harmed nothing.
  for (const call of sim.calls) {
    if (!call.report.ok) continue;
    actions[call.kind]++;
    if (call.kind !== "delete-pods" || call.command.kind !== "delete-pods") continue;
    podsDeleted += call.report.touched.length;
    for (const touched of call.report.touched) deletedPods.push(touched.split("/").pop() ?? touched);
    const seen = [...visibility].reverse().find((v) => v.at <= call.at) ?? { visibleSince: null, readySince: null };
    for (const pod of call.command.pods) {
      const sighting = atDeletion.get(pod.uid) ?? null;
      if (sighting === null || !call.report.touched.includes(`${pod.namespace}/${pod.name}`)) continue;
      // An Unknown pod's hold-off counts only time with the node Ready (the kubelet running).
      const clockFrom = sighting.condition === "terminating" ? sighting.clockFrom
        : Math.max(sighting.clockFrom, (sighting.condition === "unknown" ? seen.readySince : seen.visibleSince) ?? call.at);
      const due = Math.max(clockFrom + sighting.holdOff, seen.readySince ?? call.at);
      podLateness.push({ pod: pod.name, condition: sighting.condition, lateMs: call.at - due });
    }
  }
  const endedHealthy = node.healthy() && node.runtime.apiAnswer() === "ok";
  return {
    scenario: scenario.name, contender: contender.name, troubleAt: troubleAt - start,
    detectMs: detectAt === null ? null : detectAt - troubleAt,
    healthyMs: endedHealthy && healthySince !== null ? Math.max(0, healthySince - troubleAt) : null,
    endedHealthy, actions, podsDeleted, deletedPods, podLateness, iterations, wallMs: performance.now() - wallStart,
  };
}
