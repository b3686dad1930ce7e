// The pods probe: every pod of the SongNodes namespace seen as kubectl shows it, from a list+watch
// cache so a pod entering ImagePullBackOff wakes the loop at once. A cache that lost its watch reads
// unknown, never an old verdict.
import type { CacheHealth, PodView, PodsDetail, Reading } from "../core/types.js";
import type { KubeClient } from "../kube/client.js";
import type { PodJson } from "../kube/pod-json.js";
import { describePod, isHealthy, severity } from "../kube/pod-verdict.js";
import { podView } from "../kube/pod-view.js";
import { createWatchCache, type WatchCacheOptions } from "../kube/watch-cache.js";
import type { Clock, Probe } from "../ports.js";
import { createStandingOk, NOT_STEADY, standsWhileSteady } from "./standing-ok.js";

// How many pods the reason names before "and N more".
const NAMED_IN_REASON = 3;

/** Judge the namespace's pods: ok when every pod that should run is Running and ready (or Succeeded). */
export function interpretPods(views: PodView[], namespace: string): Reading<PodsDetail> {
  const detail = { pods: views };
  // A finished Job pod belongs to its Job's history: success or failure, it is not a pod that should run.
  // One whose deletion is stuck (Terminating on a finalizer) still counts: it is a pod to deal with.
  const counted = views.filter((p) => !(p.owner?.kind === "Job" && (p.phase === "Succeeded" || p.phase === "Failed") && p.deletionAt === null));
  if (counted.length === 0) {
    return { status: "ok", reason: `no pods to run in namespace ${namespace}`, detail };
  }
  const notReady = counted.filter((p) => !isHealthy(p)).sort((a, b) => severity(b) - severity(a));
  if (notReady.length === 0) {
    return { status: "ok", reason: `all ${counted.length} pods in ${namespace} Running and ready`, detail };
  }
  const named = notReady.slice(0, NAMED_IN_REASON).map(describePod);
  const more = notReady.length > NAMED_IN_REASON ? `, and ${notReady.length - NAMED_IN_REASON} more` : "";
  return { status: "bad", reason: `${notReady.length} of ${counted.length} pods not ready: ${named.join(", ")}${more}`, detail };
}

/** The pods probe for `namespace`; its watch starts on the first read or watch(). */
export function createPodsProbe(deps: {
  client: KubeClient;
  clock: Clock;
  namespace: string;
  localRegistryPrefix: string;
  cache?: Partial<WatchCacheOptions>;
}): Probe<PodsDetail> {
  const cache = createWatchCache({ ...deps.cache, client: deps.client, clock: deps.clock, resource: "pods", namespace: deps.namespace });
  const options = { localRegistryPrefix: deps.localRegistryPrefix };
  // podView is a pure function of the pod object, and the cache replaces an object on every watch
  // event: an unchanged pod keeps its view, and an unchanged namespace keeps its whole reading, so
  // an idle node with thousands of pods costs next to nothing per tick.
  const views = new WeakMap<object, PodView>();
  let last: { items: readonly unknown[]; judged: Reading<PodsDetail>; reading: Reading<PodsDetail> } | null = null;
  // An ok reading stands while the cache stays steady and has told of nothing since (no time bound:
  // nothing changes a cache but its watch, and every change or loss of it also wakes the loop).
  const lastOk = createStandingOk(deps.clock, Infinity);
  return {
    name: "pods",
    async read() {
      cache.start();
      const done = lastOk.begin(cache.steadyAt() ?? NOT_STEADY);
      const reading = readCache();
      done(reading.status === "ok");
      return reading;
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

  function readCache(): Reading<PodsDetail> {
    const snapshot = cache.snapshot();
    if (!snapshot.fresh) return { status: "unknown", reason: snapshot.reason, detail: null };
    const items = snapshot.items as PodJson[];
    const health = snapshot.health;
    // The cache hands out the same array until something changes: an idle tick compares one reference.
    const sameItems = last !== null && (last.items === items || (last.items.length === items.length && items.every((item, i) => item === last!.items[i])));
    if (sameItems && sameHealth(last!.reading.detail?.cache, health)) return last!.reading;
    let judged: Reading<PodsDetail>;
    if (sameItems) judged = last!.judged;
    else {
      const current = items.map((pod) => {
        let view = views.get(pod);
        if (view === undefined) views.set(pod, (view = podView(pod, options)));
        return view;
      });
      current.sort((a, b) => a.name.localeCompare(b.name));
      judged = interpretPods(current, deps.namespace);
    }
    // The cache's age rides in the detail, not the reason: the journal records a reason change.
    const reading = { ...judged, detail: { ...judged.detail!, cache: health } };
    last = { items, judged, reading };
    return reading;
  }
}

function sameHealth(a: CacheHealth | undefined, b: CacheHealth): boolean {
  return a !== undefined && a.heardAt === b.heardAt && a.lists === b.lists && a.droppedLines === b.droppedLines;
}
