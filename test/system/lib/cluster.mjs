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

/** Wait until every songnodes pod is Running and ready. */
export function waitForPodsRunning(machine, timeoutMs = 30_000) {
  return waitFor("every songnodes pod Running and ready", async () => {
    const pods = await songnodesPods(machine);
    return pods.length > 0 && pods.every((p) => p.phase === "Running" && p.ready) ? pods : null;
  }, { timeoutMs, intervalMs: 500 });
}
