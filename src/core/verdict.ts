// The one answer to "is the node all right, and if not, why": derived from the probes' readings
// (and, in the daemon, its state), and shown the same by `status`, `check`, GET /v1/status,
// /metrics and the simulator. Pure: every view calls this and none words its own verdict.
import { progressOf } from "./phase.js";
import type { CoreState, Observations, PodView } from "./types.js";

/**
 * healthy: every layer works. degraded: the node serves, but something beside it is wrong (the
 * registry is down and no pod needs it yet, the k3s log shows damage). unhealthy: a layer of the
 * node is down, or pods wait on the registry. unknown: a probe cannot tell and nothing is bad.
 */
export type OverallVerdict = "healthy" | "degraded" | "unhealthy" | "unknown";

/** The verdict and its cause. `cause` is short and stable (it is a metric label); `detail` is the probe's own words. */
export interface NodeVerdict {
  verdict: OverallVerdict;
  cause: string;
  detail: string;
}

// What a bad layer means, in the order the node is built.
const LAYER_CAUSE = {
  "waiting-for-k3s": ["k3sUnit", "k3s is not running"],
  "waiting-for-containerd": ["containerdSocket", "containerd does not answer on its socket"],
  "waiting-for-api": ["api", "the API server is not ready"],
  "waiting-for-nodes": ["nodes", "the node is not Ready"],
  "pods-converging": ["pods", "pods are not ready"],
} as const;

/**
 * Pods that cannot pull an image from the local registry because it does not answer. Not a missing
 * image, nor an image or pod config error (ErrImageNeverPull, pull access denied): no registry
 * coming back gives those pods their image, so they do not wait on it.
 */
export function podsWaitingOnRegistry(obs: Observations): PodView[] {
  if (obs.pods.status === "unknown") return [];
  return (obs.pods.detail?.pods ?? []).filter((pod) => pod.pullFailure !== null && pod.pullFailure.localRegistry && !NOT_THE_REGISTRY.has(pod.pullFailure.cause));
}

const NOT_THE_REGISTRY: ReadonlySet<string> = new Set(["image-missing", "image-config"]);

function names(pods: PodView[]): string {
  const shown = pods.slice(0, 3).map((pod) => pod.name).join(", ");
  return pods.length > 3 ? `${shown} and ${pods.length - 3} more` : shown;
}

/** The daemon's own standing, appended to a cause when it matters to the reader. */
function standing(state: Pick<CoreState, "phase" | "gaveUp"> | null): string {
  if (state?.phase === "gave-up" && state.gaveUp !== null) return "; the daemon gave up and waits for a person or its cooldown";
  if (state?.phase === "paused") return "; remedies are paused";
  return "";
}

/** Derive the overall verdict from the readings and, when there is one, the daemon's state. */
export function nodeVerdict(obs: Observations, state: Pick<CoreState, "phase" | "gaveUp"> | null = null): NodeVerdict {
  const progress = progressOf(obs);
  const waiting = podsWaitingOnRegistry(obs);
  const registryDown = obs.registry.status === "bad";
  const tail = standing(state);
  if (registryDown && waiting.length > 0 && (progress.phase === "pods-converging" || progress.phase === "healthy")) {
    return { verdict: "unhealthy", cause: `the registry is down; ${waiting.length} pod(s) cannot pull from it${tail}`, detail: `${obs.registry.reason}; waiting: ${names(waiting)}` };
  }
  if (progress.phase !== null && progress.phase !== "healthy") {
    const [probe, cause] = LAYER_CAUSE[progress.phase];
    return { verdict: "unhealthy", cause: `${cause}${tail}`, detail: obs[probe].reason };
  }
  if (progress.phase === null) {
    const blind = progress.cannotTell[0];
    return { verdict: "unknown", cause: `the ${blind?.probe ?? "node"} probe cannot tell${tail}`, detail: blind?.reason ?? "no reading yet" };
  }
  if (registryDown) return { verdict: "degraded", cause: `the registry is down; no pod is waiting on it${tail}`, detail: obs.registry.reason };
  if (obs.k3sLog.status === "bad") return { verdict: "degraded", cause: `the k3s log shows damage no restart can fix${tail}`, detail: obs.k3sLog.reason };
  const blind = progress.cannotTell[0];
  if (blind !== undefined) return { verdict: "healthy", cause: `the node works; the ${blind.probe} probe cannot tell${tail}`, detail: blind.reason };
  return { verdict: "healthy", cause: `every probe ok${tail}`, detail: "" };
}

/** "degraded: the registry is down; no pod is waiting on it", the one line every view prints. */
export function verdictLine(v: NodeVerdict): string {
  return `${v.verdict}: ${v.cause}`;
}
