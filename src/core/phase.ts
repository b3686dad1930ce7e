// Where the boot stands (docs/design.md §2): the first layer that is bad names the waiting phase. A layer
// that cannot be read (unknown) is not held against the node: the phase stays where it was.
import type { Observations, Phase } from "./types.js";

type ProgressPhase = Extract<Phase, `waiting-for-${string}` | "pods-converging" | "healthy">;

// Each layer needs the ones above it: k3s runs containerd, which runs the API's pods, and so on.
const LAYERS: readonly { probe: keyof Observations; waiting: ProgressPhase }[] = [
  { probe: "k3sUnit", waiting: "waiting-for-k3s" },
  { probe: "containerdSocket", waiting: "waiting-for-containerd" },
  { probe: "api", waiting: "waiting-for-api" },
  { probe: "nodes", waiting: "waiting-for-nodes" },
  { probe: "pods", waiting: "pods-converging" },
];

const PROVEN_BELOW = new Set<keyof Observations>(["k3sUnit", "containerdSocket"]);

function provenByApi(obs: Observations): boolean {
  return obs.api.status === "ok" && obs.nodes.status === "ok" && obs.pods.status === "ok";
}

export interface Progress {
  /** The waiting phase of the first bad layer, "healthy" when every layer is ok, null when unknown hides it. */
  phase: ProgressPhase | null;
  allOk: boolean;
  /** Probes that could not tell, with their reasons. */
  cannotTell: { probe: keyof Observations; reason: string; since: number }[];
}

/** Read the layers top to bottom. */
export function progressOf(obs: Observations): Progress {
  const cannotTell: Progress["cannotTell"] = [];
  for (const name of ["k3sUnit", "containerdSocket", "api", "nodes", "pods", "registry", "k3sLog"] as const) {
    const reading = obs[name];
    if (reading.status === "unknown") cannotTell.push({ probe: name, reason: reading.reason, since: reading.since });
  }
  const badAt = LAYERS.findIndex((layer) => obs[layer.probe].status === "bad");
  if (badAt >= 0) {
    // A layer below a bad one cannot be looked at (no API, no pod list): that is not a blind probe.
    const hidden = new Set(LAYERS.slice(badAt + 1).map((layer) => layer.probe));
    return { phase: LAYERS[badAt]!.waiting, allOk: false, cannotTell: cannotTell.filter((c) => !hidden.has(c.probe)) };
  }
  // An API that answers, a Ready node and ready pods prove k3s and containerd work, even when
  // their own probes cannot look (no D-Bus, no permission on the socket).
  const allOk = LAYERS.every((layer) => obs[layer.probe].status === "ok" || (PROVEN_BELOW.has(layer.probe) && provenByApi(obs)));
  return { phase: allOk ? "healthy" : null, allOk, cannotTell };
}

/** Phases that describe the boot's progress rather than the daemon's own doing. */
export function isProgressPhase(phase: Phase): phase is ProgressPhase {
  return phase.startsWith("waiting-for-") || phase === "pods-converging" || phase === "healthy";
}
