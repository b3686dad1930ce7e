// The nodes probe: the Ready condition of every node, from a list+watch cache so a node going NotReady
// wakes the loop at once. A cache that lost its watch reads unknown, never an old verdict.
import type { NodeView, NodesDetail, Reading } from "../core/types.js";
import type { KubeClient } from "../kube/client.js";
import type { NodeJson } from "../kube/pod-json.js";
import { nodeView } from "../kube/node-view.js";
import { createWatchCache, type WatchCacheOptions } from "../kube/watch-cache.js";
import type { Clock, Probe } from "../ports.js";

/** Judge the nodes: ok when every registered node is Ready. */
export function interpretNodes(views: NodeView[]): Reading<NodesDetail> {
  const detail = { nodes: views };
  // k3s registers its node shortly after the API comes up; until then there is nothing to run pods on.
  if (views.length === 0) return { status: "bad", reason: "no nodes registered", detail };
  const notReady = views.filter((n) => n.ready !== "True");
  if (notReady.length === 0) {
    return { status: "ok", reason: `${views.length === 1 ? "node" : "nodes"} ${views.map((n) => n.name).join(", ")} Ready`, detail };
  }
  const described = notReady.map((n) => `node ${n.name} Ready=${n.ready}${n.reason ? ` (${n.reason})` : ""}${n.message ? `: ${n.message}` : ""}`);
  return { status: "bad", reason: described.join("; "), detail };
}

/** The nodes probe; its watch starts on the first read or watch(). */
export function createNodesProbe(deps: { client: KubeClient; clock: Clock; cache?: Partial<WatchCacheOptions> }): Probe<NodesDetail> {
  const cache = createWatchCache({ ...deps.cache, client: deps.client, clock: deps.clock, resource: "nodes" });
  return {
    name: "nodes",
    async read() {
      cache.start();
      const snapshot = cache.snapshot();
      if (!snapshot.fresh) return { status: "unknown", reason: snapshot.reason, detail: null };
      return interpretNodes((snapshot.items as NodeJson[]).map(nodeView));
    },
    watch(wake) {
      const off = cache.onChange(wake);
      cache.start();
      return off;
    },
    async close() {
      cache.close();
    },
  };
}
