// Every Kubernetes-reading maintenance check against the simulated API server over HTTPS, through
// the real client-node: the node model's Jobs, PVCs, pods, kubelet's stats summary through the node
// proxy, and the metrics API; faults make each check find what it is for.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { openJournal } from "../../src/journal/index.js";
import type { MaintenanceStore } from "../../src/journal/maintenance.js";
import { createKubeClient } from "../../src/kube/client.js";
import { buildChecks } from "../../src/maintenance/check-set.js";
import { createKubeReader } from "../../src/maintenance/kube-reader.js";
import type { MaintenanceCheck } from "../../src/maintenance/types.js";
import { startApiServer, type ApiServerHandle } from "../../src/sim/kube/api-server.js";
import { nodeExtras } from "../../src/sim/model/maintenance-facts.js";
import { createSongNodesNode, type SongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimMaintenancePorts } from "../../src/sim/ports/sim-maintenance.js";

const START = Date.parse("2025-11-14T01:30:00Z");
let dir: string;
let server: ApiServerHandle;
let node: SongNodesNode;
let checks: Map<string, MaintenanceCheck>;
let store: MaintenanceStore;
const run = (name: string) => checks.get(name)!.run(AbortSignal.timeout(10_000));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "maintenance-https-"));
  node = createSongNodesNode({ start: START, seed: 3, initial: "healthy" });
  server = await startApiServer({ store: node.store, token: "maintenance-token", dir, extras: nodeExtras(node) });
  const client = createKubeClient({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: 5_000 });
  const sim = createSimMaintenancePorts(node);
  store = openJournal(":memory:").maintenance!;
  const config = parseConfig({ maintenance: { timezone: "UTC" } });
  checks = new Map(buildChecks(config, { kube: createKubeReader(client), host: sim.host, exec: sim.exec }, store, { now: () => node.now() }).map((c) => [c.check.name, c.check]));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("maintenance checks over HTTPS with client-node", () => {
  it("reads last night's successful backup from the Jobs' own conditions", async () => {
    const result = await run("backup-freshness");
    expect(result.level).toBe("ok");
    expect(result.reason).toMatch(/^newest successful backup postgres-backup-\d+ finished 23h\d+m/);
  });

  it("reads PVC usage from kubelet's stats summary through the node proxy; the Job-only backup PVC reads unknown", async () => {
    const result = await run("pvc-usage");
    expect(result.findings.map((f) => `${f.level}:${f.key}`)).toEqual(["unknown:pvc:postgres-backup-storage:no-stats"]);
    expect(result.reason).toMatch(/no volume stats/);
  });

  it("finds no pressure, no pod outside Running/Completed, no failed Job, no pull failure and no container without limits on the healthy node", async () => {
    for (const name of ["node-pressure", "pod-sweep", "failed-jobs", "image-pull", "pod-limits"]) {
      const result = await run(name);
      expect({ name, level: result.level }).toEqual({ name, level: "ok" });
    }
  });

  it("samples node and pod usage from metrics.k8s.io into SQLite", async () => {
    const result = await run("usage-sample");
    expect(result.level).toBe("ok");
    const samples = store.samplesSince(0);
    expect(samples.filter((s) => s.kind === "node").map((s) => s.name)).toEqual(["songnodes-node"]);
    const running = node.store.list("pods", "songnodes").items.filter((p) => (p.status as { phase?: string }).phase === "Running").map((p) => p.metadata.name).sort();
    expect(samples.filter((s) => s.kind === "pod").map((s) => s.name).sort()).toEqual(running);
    expect(samples.every((s) => s.cpuMillicores > 0 && s.memoryBytes > 0)).toBe(true);
  });

  it("finds postgres's volume filling past 90 % (pvc-filling)", async () => {
    node.inject({ fault: "pvc-filling", pvc: "postgres-storage-postgres-0", toPercent: 95, over: 60_000 });
    node.advance(node.now() + 120_000);
    const result = await run("pvc-usage");
    expect(result.level).toBe("crit");
    expect(result.findings[0]).toMatchObject({ key: "pvc:postgres-storage-postgres-0:crit", level: "crit" });
    expect(result.findings[0]!.text).toMatch(/^PVC postgres-storage-postgres-0 95 % used/);
  });

  it("finds tonight's failed backup Job, crit in both backup checks and among failed Jobs (backup-failing)", async () => {
    node.inject({ fault: "backup-failing" });
    node.advance(Date.parse("2025-11-14T02:10:00Z"));
    const freshness = await run("backup-freshness");
    expect(freshness.findings.map((f) => f.key)).toEqual([expect.stringMatching(/^backup:failed:postgres-backup-\d+$/)]);
    expect(freshness.level).toBe("crit");
    expect((await run("failed-jobs")).findings.map((f) => f.level)).toEqual(["crit"]);
    expect((await run("backup-integrity")).findings.map((f) => `${f.level}:${f.key}`)).toEqual([expect.stringMatching(/^crit:integrity:job:postgres-backup-\d+:failed$/)]);
  });

  it("reads unknown, with the reason, when the API server refuses connections", async () => {
    await server.setMode("down");
    try {
      const result = await run("node-pressure");
      expect(result.level).toBe("unknown");
      expect(result.reason).toMatch(/^cannot list nodes: /);
    } finally {
      await server.setMode("ok");
    }
  });
});
