// Start the simulator's HTTPS API server over a fresh object store in a temp dir, for tests that hold
// the real client-node against it; `cleanup()` stops it and removes the dir.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApiServer, type ApiServerHandle } from "../../../src/sim/kube/api-server.js";
import { createObjectStore } from "../../../src/sim/kube/store.js";
import type { KubeObject, ObjectStore } from "../../../src/sim/kube/store-types.js";
import { createKubeClient, type KubeClient } from "../../../src/kube/client.js";

export interface SimApi {
  store: ObjectStore;
  server: ApiServerHandle;
  client: KubeClient;
  dir: string;
  cleanup(): Promise<void>;
}

/** A running simulated API server holding `pods` and `nodes`, and a client for it. */
export async function startSimApi(options: { pods?: object[]; nodes?: object[]; historyLimit?: number; requestTimeoutMs?: number; bookmarkIntervalMs?: number } = {}): Promise<SimApi> {
  const dir = await mkdtemp(join(tmpdir(), "kube-test-"));
  const store = createObjectStore({ now: () => Date.now() }, { historyLimit: options.historyLimit ?? 1000 });
  for (const pod of options.pods ?? []) store.put("pods", structuredClone(pod) as KubeObject);
  for (const node of options.nodes ?? []) store.put("nodes", structuredClone(node) as KubeObject);
  const server = await startApiServer({ store, token: "test-token", dir, ...(options.bookmarkIntervalMs === undefined ? {} : { bookmarkIntervalMs: options.bookmarkIntervalMs }) });
  const client = createKubeClient({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: options.requestTimeoutMs ?? 2_000 });
  return {
    store, server, client, dir,
    async cleanup() {
      client.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Poll `check` until it returns a truthy value or `timeoutMs` passes (then throw with the last value). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, what = "condition"): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/** A Ready node as k3s registers it. */
export function readyNode(name = "songnodes-node"): object {
  return {
    apiVersion: "v1", kind: "Node", metadata: { name, labels: { "node-role.kubernetes.io/control-plane": "true" } },
    status: { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: "2025-11-13T08:00:00Z", lastTransitionTime: "2025-11-13T08:00:00Z" }] },
  };
}
