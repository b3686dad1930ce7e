// What the daemon keeps per pod: the pods watch cache synced against the simulator's HTTPS API
// server at several pod counts, the JS heap it retains measured after a forced GC, next to what the
// same pods cost kept whole (as parsed from the list, which is what the cache held before it kept
// only the fields the daemon judges). Same process, so the server's own store is in the baseline.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createKubeClient } from "../../src/kube/client.js";
import { createWatchCache } from "../../src/kube/watch-cache.js";
import { startApiServer } from "../../src/sim/kube/api-server.js";
import { createObjectStore } from "../../src/sim/kube/store.js";
import { addFillerPods } from "../../src/sim/serve/filler-pods.js";

/** Heap retained by the cache at one pod count. */
export interface CacheMemory {
  pods: number;
  /** Heap the synced cache retains (slim objects), MB. */
  slimMB: number;
  /** Heap the same pods retain kept whole, MB. */
  wholeMB: number;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Measure at each of `counts` pods. */
export async function measureCacheMemory(counts: number[]): Promise<CacheMemory[]> {
  const results: CacheMemory[] = [];
  for (const pods of counts) {
    const dir = await mkdtemp(join(tmpdir(), "bench-cache-"));
    const store = createObjectStore({ now: () => Date.now() }, { historyLimit: 1000 });
    addFillerPods(store, "songnodes", "songnodes-node", pods, Date.now());
    const server = await startApiServer({ store, token: "bench", dir });
    const client = createKubeClient({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: 60_000 });
    try {
      const base = heapAfterGc();
      const cache = createWatchCache({ client, clock: { now: () => Date.now() }, resource: "pods", namespace: "songnodes" });
      cache.start();
      while (!cache.snapshot().fresh) await new Promise((resolve) => setTimeout(resolve, 50));
      const slim = heapAfterGc() - base;
      cache.close();
      const cleared = heapAfterGc();
      const answer = await client.get("/api/v1/namespaces/songnodes/pods", undefined, 1 << 30);
      const whole = (JSON.parse(answer.body) as { items: unknown[] }).items;
      const wholeBytes = heapAfterGc() - cleared;
      results.push({ pods: whole.length, slimMB: slim / 1e6, wholeMB: wholeBytes / 1e6 });
    } finally {
      client.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/** The table: retained heap by pod count, and per pod, so linear growth shows as a constant column. */
export function formatCacheMemory(rows: CacheMemory[]): string {
  const lines = ["pods watch cache, heap retained after GC (in-process, simulator's HTTPS API server):", "    pods   slim (kept)   per pod   whole objects   per pod"];
  for (const r of rows) {
    lines.push(`${String(r.pods).padStart(8)}   ${r.slimMB.toFixed(1).padStart(8)} MB   ${((r.slimMB * 1e3) / r.pods).toFixed(2).padStart(4)} KB   ${r.wholeMB.toFixed(1).padStart(10)} MB   ${((r.wholeMB * 1e3) / r.pods).toFixed(2).padStart(4)} KB`);
  }
  return lines.join("\n");
}
