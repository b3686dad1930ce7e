// When each pod condition really began, read from the model's own store as it changes (not from a
// contender's view), so the bench can say how late a pod deletion came after its hold-off ran out.
import type { Config } from "../../src/config/schema.js";
import type { PodJson } from "../../src/kube/pod-json.js";
import { podView } from "../../src/kube/pod-view.js";
import type { SongNodesNode } from "../../src/sim/model/songnodes-node.js";

/** A pod condition with a hold-off in the core (src/core/pod-triage.ts). */
export type HeldCondition = "unknown" | "terminating" | "failed" | "pull";

/** A condition's first sighting in the store, and the hold-off the core gives it. */
export interface Sighting {
  condition: HeldCondition;
  /** When the hold-off clock starts: the first sighting, or the pod's deletionTimestamp. */
  clockFrom: number;
  holdOff: number;
}

/** First sightings by pod uid. */
export interface PodTruth {
  sighting(uid: string): Sighting | null;
  stop(): void;
}

/** Follow the namespace's pods through the store's watch from now on. */
export function followPodTruth(node: SongNodesNode, config: Config): PodTruth {
  const options = { localRegistryPrefix: config.registry.imagePrefix };
  const { timing } = config;
  const first = new Map<string, Sighting>();
  const classify = (pod: PodJson): Sighting | null => {
    const view = podView(pod, options);
    const now = node.now();
    if (view.unknown !== null) return { condition: "unknown", clockFrom: now, holdOff: timing.unknownPodHoldOff };
    if (view.deletionAt !== null) return { condition: "terminating", clockFrom: view.deletionAt, holdOff: timing.terminatingForceDelete };
    if (view.phase === "Failed" && view.owner !== null && view.owner.kind !== "Job") return { condition: "failed", clockFrom: now, holdOff: timing.failedPodHoldOff };
    if (view.pullFailure !== null && view.pullFailure.cause === "registry-down") return { condition: "pull", clockFrom: now, holdOff: timing.imagePullHoldOff };
    return null;
  };
  const stop = node.store.watch("pods", node.namespace, null, (event) => {
    // A deleted pod keeps its last sighting: the bench reads it after the run.
    if (event.type === "DELETED") return;
    const uid = event.object.metadata.uid ?? "";
    const seen = classify(event.object as unknown as PodJson);
    const known = first.get(uid);
    // A condition that clears ends its episode; while it lasts, its first sighting holds. An Unknown
    // pod that later gets a deletionTimestamp keeps the earlier clock.
    if (seen === null) first.delete(uid);
    else if (known === undefined || (known.condition !== seen.condition && seen.clockFrom + seen.holdOff < known.clockFrom + known.holdOff) || (known.condition !== seen.condition && known.condition !== "unknown")) first.set(uid, seen);
  });
  return { sighting: (uid) => first.get(uid) ?? null, stop };
}
