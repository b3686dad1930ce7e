// The daemon's seven probes over the simulated node, for the virtual clock. Each reads the model's
// raw facts and judges them with the SAME pure interpreter the real probe uses, so the simulator
// tests the daemon's real judgement. Where the real probe could not look (a D-Bus that does not
// answer, an API that answers 500 or never answers) these return the unknown it would return, at
// once: a virtual clock must not wait out a real timeout.
import type { Config } from "../../config/schema.js";
import type { K3sLogDetail, PodView, ProbeName } from "../../core/types.js";
import { nodeView } from "../../kube/node-view.js";
import type { NodeJson, PodJson } from "../../kube/pod-json.js";
import { podView } from "../../kube/pod-view.js";
import type { Probe } from "../../ports.js";
import { API_QUIET_RECHECK_MS, interpretReadyz } from "../../probes/api-ready.js";
import { CONTAINERD_QUIET_RECHECK_MS, interpretContainerdSocket } from "../../probes/containerd-socket.js";
import { interpretK3sLog } from "../../probes/k3s-log.js";
import { K3S_LOG_REFRESH_MS } from "../../probes/k3s-log-cadence.js";
import { UNIT_QUIET_RECHECK_MS, interpretUnit } from "../../probes/k3s-unit.js";
import { interpretNodes } from "../../probes/nodes.js";
import { interpretPods } from "../../probes/pods.js";
import { REGISTRY_QUIET_RECHECK_MS, interpretRegistry } from "../../probes/registry.js";
import type { SongNodesNode } from "../model/songnodes-node.js";

// What client-node reports when the API is down or does not answer in time.
const REFUSED = "connect ECONNREFUSED 127.0.0.1:6443";
const TIMED_OUT = (config: Config) => `request timed out after ${Math.round(config.timing.probeTimeout / 1000)}s`;

/** Why listing objects failed, or null when the API answers. */
function listFailure(node: SongNodesNode, config: Config, resource: string): string | null {
  const answer = node.runtime.apiAnswer();
  if (answer === "ok") return null;
  const why = answer === "refused" ? REFUSED : answer === "hang" ? TIMED_OUT(config) : "HTTP 500 Internal Server Error";
  return `cannot list ${resource}: ${why}`;
}

/**
 * The namespace's pods as views, kept up to date from the store's watch (as the real probe keeps a
 * view while its object is unchanged): a pod is viewed again only when it changed, so a node with
 * hundreds of pods costs one podView per change, not one per pod per iteration.
 */
function watchedPodViews(node: SongNodesNode, config: Config): { views(): PodView[] } {
  const options = { localRegistryPrefix: config.registry.imagePrefix };
  const byName = new Map<string, PodView>();
  let sorted: PodView[] | null = null;
  const listed = node.store.list("pods", config.namespace);
  for (const item of listed.items) byName.set(item.metadata.name, podView(item as unknown as PodJson, options));
  node.store.watch("pods", config.namespace, listed.resourceVersion, (event) => {
    sorted = null;
    if (event.type === "DELETED") byName.delete(event.object.metadata.name);
    else byName.set(event.object.metadata.name, podView(event.object as unknown as PodJson, options));
  });
  return { views: () => (sorted ??= [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) };
}

/** The unit's properties, with the ActiveState a `k3s-active-state` fault makes systemd report. */
function withActiveState(node: SongNodesNode): ReturnType<SongNodesNode["unit"]["properties"]> {
  const props = node.unit.properties();
  const fault = node.runtime.faults.badActiveState;
  if (fault === null || (fault.until !== null && node.now() >= fault.until)) return props;
  return { ...props, activeState: fault.state === "" ? (undefined as unknown as string) : fault.state };
}

/**
 * What the probes could see without an event, as one string: the soak skips a tick at which it has
 * not changed since the last quiet iteration (src/sim/scenario/runner.ts). Every input a probe reads
 * that no D-Bus signal or watch event announces belongs here, faults that make a reading lie included.
 */
export function polledSight(node: SongNodesNode): string {
  const { runtime, registry } = node;
  const socket = runtime.containerdSocket();
  return [
    runtime.apiAnswer(), runtime.systemdReachable(), withActiveState(node).activeState, `${socket.exists}${socket.accepts}`,
    `${registry.containerState()}${registry.apiUp()}`, runtime.containerdLog().length, runtime.k3sJournal().length,
    logUnreadable(node, "journal"), logUnreadable(node, "containerd-log"),
  ].join("|");
}

/** The error a `k3s-log-unreadable` fault makes reading `source` fail with now, or null. */
function logUnreadable(node: SongNodesNode, source: "journal" | "containerd-log"): string | null {
  const fault = node.runtime.faults.logUnreadable[source];
  return fault !== undefined && (fault.until === null || node.now() < fault.until) ? fault.error : null;
}

// How long each real probe lets an ok reading stand in a quiet iteration (the pod and node caches:
// for as long as their watch tells of nothing, which here is the store's own watch).
const RECHECK_MS: Record<ProbeName, number> = {
  k3sUnit: UNIT_QUIET_RECHECK_MS, containerdSocket: CONTAINERD_QUIET_RECHECK_MS, api: API_QUIET_RECHECK_MS,
  registry: REGISTRY_QUIET_RECHECK_MS, k3sLog: K3S_LOG_REFRESH_MS, nodes: Infinity, pods: Infinity,
};

/**
 * Every probe, reading `node`. Each says its ok reading stands (quiet()) as the real one would, within
 * the real re-check bound, and only while what it reads is unchanged: where the real probe would let a
 * reading stand that no event contradicted, the simulated one still looks (a change no signal tells of
 * is seen here at the next tick; docs/simulator.md).
 */
export function createSimProbes(node: SongNodesNode, config: Config): Record<ProbeName, Probe<any>> {
  const { runtime } = node;
  const pods = watchedPodViews(node, config);
  let storeEvents = 0;
  node.store.watch("pods", config.namespace, null, () => void storeEvents++);
  node.store.watch("nodes", null, null, () => void storeEvents++);
  const socket = () => runtime.containerdSocket();
  // A containerd that died and came back between two looks closed the real probe's held connection.
  let containerdStarts = 0;
  let accepting = socket().accepts;
  const countStarts = () => {
    const now = socket().accepts;
    if (now && !accepting) containerdStarts++;
    accepting = now;
  };
  // What each probe reads, as one string: a reading stands only while it is unchanged.
  const inputs: Record<ProbeName, () => string> = {
    k3sUnit: () => `${runtime.systemdReachable()}|${JSON.stringify(withActiveState(node))}`,
    containerdSocket: () => `${socket().exists}${socket().accepts}|${containerdStarts}`,
    api: () => runtime.apiAnswer(),
    nodes: () => `${runtime.apiAnswer()}|${storeEvents}`,
    pods: () => `${runtime.apiAnswer()}|${storeEvents}`,
    registry: () => `${node.registry.containerState()}|${node.registry.apiUp()}`,
    k3sLog: () => `${runtime.k3sJournal().length}|${runtime.containerdLog().length}|${logUnreadable(node, "journal")}|${logUnreadable(node, "containerd-log")}`,
  };
  const sync = <D>(name: ProbeName, read: () => Awaited<ReturnType<Probe<D>["read"]>>): Probe<D> => {
    let okAt: { at: number; inputs: string } | null = null;
    return {
      name,
      read: async () => {
        countStarts();
        const reading = read();
        okAt = reading.status === "ok" ? { at: node.now(), inputs: inputs[name]() } : null;
        return reading;
      },
      quiet: () => {
        countStarts();
        return okAt !== null && node.now() - okAt.at < RECHECK_MS[name] && inputs[name]() === okAt.inputs;
      },
    };
  };
  return {
    k3sUnit: sync("k3sUnit", () =>
      runtime.systemdReachable()
        ? interpretUnit(withActiveState(node), config.k3s.unit)
        : { status: "unknown", reason: "Could not connect to the system bus: org.freedesktop.DBus.Error.NoReply (did not answer)", detail: null },
    ),
    containerdSocket: sync("containerdSocket", () => interpretContainerdSocket({ path: config.k3s.containerdSocket, ...runtime.containerdSocket() })),
    api: sync("api", () => {
      const answer = runtime.apiAnswer();
      if (answer === "ok") return interpretReadyz(200, null, "ok");
      if (answer === "500") return interpretReadyz(500, null, "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed");
      return interpretReadyz(null, answer === "refused" ? REFUSED : TIMED_OUT(config));
    }),
    nodes: sync("nodes", () => {
      const failure = listFailure(node, config, "nodes");
      if (failure) return { status: "unknown", reason: failure, detail: null };
      // The simulated host's name is its node's: k3s registered it under the host name.
      return interpretNodes(node.store.list("nodes", null).items.map((item) => nodeView(item as unknown as NodeJson)), config.nodeName ?? node.nodeName);
    }),
    pods: sync("pods", () => {
      const failure = listFailure(node, config, "pods");
      if (failure) return { status: "unknown", reason: failure, detail: null };
      return interpretPods(pods.views(), config.namespace);
    }),
    registry: sync("registry", () => {
      const container = node.registry.containerState();
      return interpretRegistry(container, node.registry.apiUp() ? "up" : "down", {
        api: node.registry.apiUp() ? "GET /v2/ answered 200" : "GET /v2/: connect ECONNREFUSED 127.0.0.1:5000",
        container: `container ${node.registry.containerName} is ${container}`,
      });
    }),
    k3sLog: sync<K3sLogDetail>("k3sLog", () => {
      // A `k3s-log-unreadable` fault: journalctl fails, or containerd.log cannot be opened.
      const journalError = logUnreadable(node, "journal");
      const logError = logUnreadable(node, "containerd-log");
      return interpretK3sLog(
        journalError === null ? { text: runtime.k3sJournal() } : { error: `journalctl exited with 1: ${journalError}` },
        logError === null ? { text: runtime.containerdLog() } : { error: logError },
        { unit: config.k3s.unit, containerdLog: config.k3s.containerdLog },
      );
    }),
  };
}
