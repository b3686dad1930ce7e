// The nodes probe: the Ready condition of every node, from a list+watch cache so a node going NotReady
// wakes the loop at once. A cache that lost its watch reads unknown, never an old verdict.
import type { NodeView, NodesDetail, Reading } from "../core/types.js";
import type { KubeClient } from "../kube/client.js";
import type { NodeJson } from "../kube/pod-json.js";
import { nodeView } from "../kube/node-view.js";
import { createWatchCache, type WatchCacheOptions } from "../kube/watch-cache.js";
import type { Clock, Probe } from "../ports.js";
import { createStandingOk, NOT_STEADY, standsWhileSteady } from "./standing-ok.js";

/**
 * Judge this host's node, `own`: ok when it is Ready. Other nodes (left by a renamed host or an old
 * agent) are named in the reason and never judged: restarting k3s cannot make them Ready.
 */
export function interpretNodes(views: NodeView[], own: string): Reading<NodesDetail> {
  const detail = { nodes: views };
  // k3s registers its node shortly after the API comes up; until then there is nothing to run pods on.
  if (views.length === 0) return { status: "bad", reason: "no nodes registered", detail };
  const mine = views.find((n) => n.name === own);
  const others = views.filter((n) => n.name !== own);
  const otherText = others.length === 0 ? "" : `; not judged, not this host's: ${others.map(describe).join("; ")}`;
  if (!mine) {
    // Nodes exist but not ours: the name is wrong (k3s --node-name) more likely than k3s failing to
    // register while its API answers. We cannot tell, and an unknown never restarts k3s.
    return {
      status: "unknown",
      reason: `node ${own} is not registered (the API has ${others.map((n) => n.name).join(", ")}); set nodeName in the config if this host registered under another name`,
      detail,
    };
  }
  if (mine.ready === "True") return { status: "ok", reason: `node ${own} Ready${otherText}`, detail };
  return { status: "bad", reason: `${describe(mine)}${otherText}`, detail };
}

function describe(n: NodeView): string {
  return `node ${n.name} Ready=${n.ready}${n.reason ? ` (${n.reason})` : ""}${n.message ? `: ${n.message}` : ""}`;
}

/** The nodes probe; its watch starts on the first read or watch(). */
export function createNodesProbe(deps: { client: KubeClient; clock: Clock; nodeName: string; cache?: Partial<WatchCacheOptions> }): Probe<NodesDetail> {
  const cache = createWatchCache({ ...deps.cache, client: deps.client, clock: deps.clock, resource: "nodes" });
  // An ok reading stands while the cache stays steady and has told of nothing since (no time bound:
  // nothing changes a cache but its watch, and every change or loss of it also wakes the loop).
  const lastOk = createStandingOk(deps.clock, Infinity);
  return {
    name: "nodes",
    async read() {
      cache.start();
      const done = lastOk.begin(cache.steadyAt() ?? NOT_STEADY);
      const snapshot = cache.snapshot();
      if (!snapshot.fresh) {
        done(false);
        return { status: "unknown", reason: snapshot.reason, detail: null };
      }
      const reading = interpretNodes((snapshot.items as NodeJson[]).map(nodeView), deps.nodeName);
      done(reading.status === "ok");
      return { ...reading, detail: { ...reading.detail!, cache: snapshot.health } };
    },
    quiet: () => standsWhileSteady(cache, lastOk) > 0,
    standsFor: () => standsWhileSteady(cache, lastOk),
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
