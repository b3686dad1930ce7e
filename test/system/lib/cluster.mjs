// The simulated cluster as an operator sees it: kubectl inside the container, against the
// kubeconfig the k3s stand-in writes at /etc/rancher/k3s/k3s.yaml.
import { waitFor } from "./exec.mjs";

/** `kubectl get … -o json` inside the container; throws when kubectl fails. */
export async function kubectlJson(machine, args) {
  const result = await machine.execOk(["kubectl", "--kubeconfig", "/etc/rancher/k3s/k3s.yaml", "--request-timeout=5s", ...args, "-o", "json"], { timeoutMs: 15_000 });
  return JSON.parse(result.stdout);
}

/** Pods of the songnodes namespace with kubectl's reason (waiting reason, else phase). */
export async function songnodesPods(machine) {
  const list = await kubectlJson(machine, ["get", "pods", "-n", "songnodes"]);
  return list.items.map((pod) => ({
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    phase: pod.status.phase,
    reason: pod.status.containerStatuses?.find((c) => c.state?.waiting)?.state.waiting.reason ?? pod.status.phase,
    ready: pod.status.containerStatuses?.every((c) => c.ready) ?? false,
  }));
}

/** Wait until every songnodes pod is Running and ready; `onPods` sees every listing on the way. */
export function waitForPodsRunning(machine, timeoutMs = 30_000, onPods = () => {}) {
  return waitFor("every songnodes pod Running and ready", async () => {
    const pods = await songnodesPods(machine);
    onPods(pods);
    return pods.length > 0 && pods.every((p) => p.phase === "Running" && p.ready) ? pods : null;
  }, { timeoutMs, intervalMs: 500 });
}

/** The kubelet's waiting reasons for a pod whose image could not be pulled. */
export const PULL_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff"]);

/**
 * Wait for the namespace to converge, noting every pod seen failing a pull on the way. The daemon
 * restarts a registry that is down for sure at the first refused pull, so a pod may never reach
 * ImagePullBackOff, and a poll may see no failure at all: what the daemon deleted is read from its
 * history, and these are only the pods seen.
 */
export async function convergeNotingPullFailures(machine, timeoutMs) {
  const seen = new Map();
  await waitForPodsRunning(machine, timeoutMs, (pods) => {
    for (const pod of pods) if (PULL_FAILURES.has(pod.reason) && !seen.has(pod.uid)) seen.set(pod.uid, pod);
  });
  return [...seen.values()];
}
