// The runbook's kubectl commands (docs/runbook.md), run with the real kubectl against the
// simulated API server seeded with a SongNodes namespace after an unclean reboot.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServerHandle } from "../../../src/sim/kube/api-server.js";
import { createObjectStore } from "../../../src/sim/kube/store.js";
import type { DeleteRequest, ObjectStore } from "../../../src/sim/kube/store-types.js";
import { FIXTURE_NOW, PODS, seedSongNodes } from "./songnodes-fixture.js";

const KUBECTL = "/usr/bin/kubectl";
const present = existsSync(KUBECTL);

let dir: string;
let store: ObjectStore;
let server: ApiServerHandle;
const deletes: { name: string; request: DeleteRequest }[] = [];
const timers = new Set<NodeJS.Timeout>();

/** Run kubectl with the simulator's kubeconfig; resolves with stdout, stderr and the exit code. */
function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const argv = ["--kubeconfig", server.kubeconfigPath, "--cache-dir", join(dir, "cache"), ...args];
  return new Promise((resolve) => {
    execFile(KUBECTL, argv, { timeout: 20_000, killSignal: "SIGKILL", env: { ...process.env, HOME: dir } }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : -1) : 0 });
    });
  });
}

/** kubectl's table output as rows of cells (columns are at least three spaces apart). */
function table(stdout: string): string[][] {
  return stdout.trimEnd().split("\n").filter((l) => l.trim() !== "").map((line) => line.trim().split(/\s{2,}/));
}

const row = (rows: string[][], name: string) => rows.find((r) => r[0] === name);

describe.skipIf(!present)(`the runbook's kubectl commands against the simulated API server${present ? "" : " (skipped: /usr/bin/kubectl not installed)"}`, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sim-kube-kubectl-"));
    store = createObjectStore({ now: () => FIXTURE_NOW });
    seedSongNodes(store);
    // As kubelet does: a graceful delete marks the pod Terminating and it goes away shortly after;
    // grace period 0 (--force) removes it at once.
    store.onDelete("pods", (pod, request) => {
      deletes.push({ name: pod.metadata.name, request });
      const { namespace = null, name } = pod.metadata;
      if (request.gracePeriodSeconds === 0) return void store.remove("pods", namespace, name);
      store.put("pods", { ...pod, metadata: { ...pod.metadata, deletionTimestamp: "2025-11-13T10:00:00Z", deletionGracePeriodSeconds: 30 } });
      const t = setTimeout(() => store.remove("pods", namespace, name), 300);
      timers.add(t);
    });
    server = await startApiServer({ store, token: "kubectl-proof-token", dir, clock: { now: () => FIXTURE_NOW } });
  });

  afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("kubectl get nodes shows the k3s node Ready with its roles and version", async () => {
    const out = await kubectl("get", "nodes");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
    expect(row(rows, "songnodes-node")).toEqual(["songnodes-node", "Ready", "control-plane,master", "40d", "v1.31.4+k3s1"]);
  });

  it("kubectl get pods -n songnodes shows each pod's STATUS as kubectl derives it", async () => {
    const out = await kubectl("get", "pods", "-n", "songnodes");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    expect(row(rows, "postgres-0")).toEqual(["postgres-0", "1/1", "Running", "0", "60m"]);
    expect(row(rows, PODS.restApi.metadata.name)?.slice(1, 4)).toEqual(["1/1", "Running", "2"]);
    expect(row(rows, PODS.unknown.metadata.name)?.[2]).toBe("Unknown");
    expect(row(rows, PODS.failed.metadata.name)?.[2]).toBe("Terminated");
    expect(row(rows, PODS.imagePull.metadata.name)?.slice(1, 3)).toEqual(["0/1", "ImagePullBackOff"]);
    expect(row(rows, PODS.terminating.metadata.name)?.[2]).toBe("Terminating");
    expect(row(rows, PODS.backupJob.metadata.name)?.[2]).toBe("Completed");
  });

  it("kubectl get pods --field-selector=status.phase=Unknown finds the orphaned pod only", async () => {
    const out = await kubectl("get", "pods", "-n", "songnodes", "--field-selector=status.phase=Unknown");
    expect(out.code).toBe(0);
    expect(table(out.stdout).slice(1).map((r) => r[0])).toEqual([PODS.unknown.metadata.name]);
  });

  it("kubectl delete pods --field-selector=status.phase=Unknown deletes it and waits until it is gone", async () => {
    const out = await kubectl("delete", "pods", "-n", "songnodes", "--field-selector=status.phase=Unknown");
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(`pod "${PODS.unknown.metadata.name}" deleted`);
    expect(store.get("pods", "songnodes", PODS.unknown.metadata.name)).toBeUndefined();
  });

  it("kubectl delete pods --field-selector=status.phase=Failed deletes the Failed pod and leaves ImagePullBackOff (phase Pending)", async () => {
    const out = await kubectl("delete", "pods", "-n", "songnodes", "--field-selector=status.phase=Failed");
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(`pod "${PODS.failed.metadata.name}" deleted`);
    expect(store.get("pods", "songnodes", PODS.failed.metadata.name)).toBeUndefined();
    expect(store.get("pods", "songnodes", PODS.imagePull.metadata.name)).toBeDefined();
  });

  it("kubectl delete pod <name> --grace-period=0 --force removes a Terminating pod at once", async () => {
    const name = PODS.terminating.metadata.name;
    const out = await kubectl("delete", "pod", name, "-n", "songnodes", "--grace-period=0", "--force");
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(`pod "${name}" force deleted`);
    expect(out.stderr).toContain("Immediate deletion does not wait for confirmation");
    expect(deletes.find((d) => d.name === name)?.request.gracePeriodSeconds).toBe(0);
    expect(store.get("pods", "songnodes", name)).toBeUndefined();
  });

  it("kubectl get pvc -n songnodes lists the four claims Bound with their capacity", async () => {
    const out = await kubectl("get", "pvc", "-n", "songnodes");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]);
    const postgres = row(rows, "postgres-storage-postgres-0")!;
    expect([postgres[1], postgres[3], postgres[4], postgres[5]]).toEqual(["Bound", "20Gi", "RWO", "local-path"]);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(["postgres-backup-storage", "postgres-storage-postgres-0", "rabbitmq-data-rabbitmq-0", "redis-pvc"]);
  });

  it("kubectl get pdb -n songnodes lists a minAvailable 1 budget per service", async () => {
    const out = await kubectl("get", "pdb", "-n", "songnodes");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]);
    expect(rows).toHaveLength(7);
    expect(row(rows, "postgres")).toEqual(["postgres", "1", "N/A", "1", "40d"]);
  });

  it("kubectl get pods,pvc,pdb -n songnodes prints all three kinds", async () => {
    const out = await kubectl("get", "pods,pvc,pdb", "-n", "songnodes");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^pod\/postgres-0\s+1\/1\s+Running/m);
    expect(out.stdout).toMatch(/^persistentvolumeclaim\/redis-pvc\s+Bound/m);
    expect(out.stdout).toMatch(/^poddisruptionbudget\.policy\/rabbitmq\s+1\s+N\/A/m);
  });

  it("kubectl get cronjob -n songnodes postgres-backup shows the 2 AM schedule and the last run", async () => {
    const out = await kubectl("get", "cronjob", "-n", "songnodes", "postgres-backup");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]);
    expect(rows[1]).toEqual(["postgres-backup", "0 2 * * *", "<none>", "False", "0", "8h", "40d"]);
  });

  it("kubectl get events --sort-by='.lastTimestamp' lists events oldest first", async () => {
    const out = await kubectl("get", "events", "-n", "songnodes", "--sort-by=.lastTimestamp");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([["30m", "Started"], ["20m", "NodeReady"], ["5m", "Failed"]]);
    expect(rows[3]?.[3]).toBe(`pod/${PODS.imagePull.metadata.name}`);
  });

  it("kubectl get jobs -n songnodes shows the last backup Complete", async () => {
    const out = await kubectl("get", "jobs", "-n", "songnodes");
    expect(out.code).toBe(0);
    const rows = table(out.stdout);
    expect(rows[0]).toEqual(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]);
    expect(rows[1]).toEqual(["postgres-backup-29385720", "Complete", "1/1", "3m", "8h"]);
  });
});
