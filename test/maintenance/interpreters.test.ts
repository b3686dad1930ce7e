// The maintenance checks' pure interpreters as tables: what a person is told for each state.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { interpretBackupFreshness } from "../../src/maintenance/checks/backup-freshness.js";
import { interpretBackupIntegrity } from "../../src/maintenance/checks/backup-integrity.js";
import { interpretDataCount, parseCount } from "../../src/maintenance/checks/data-integrity.js";
import { interpretDrill } from "../../src/maintenance/checks/dr-drill.js";
import { interpretFailedJobs } from "../../src/maintenance/checks/failed-jobs.js";
import { interpretHostDisk } from "../../src/maintenance/checks/host-disk.js";
import { interpretImagePull } from "../../src/maintenance/checks/image-pull.js";
import { interpretNodePressure } from "../../src/maintenance/checks/node-pressure.js";
import { interpretPodLimits } from "../../src/maintenance/checks/pod-limits.js";
import { interpretPodSweep } from "../../src/maintenance/checks/pod-sweep.js";
import { interpretPvcUsage, volumeStatsByClaim } from "../../src/maintenance/checks/pvc-usage.js";
import { computeTrends, interpretTrends, parseQuantity } from "../../src/maintenance/checks/usage-trends.js";

const NOW = Date.parse("2026-06-10T04:30:00Z");
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const owner = { kind: "CronJob", name: "postgres-backup" };
const job = (name: string, startedAgoH: number, outcome: "Complete" | "Failed" | null, extra: Record<string, unknown> = {}) => ({
  metadata: { name, ownerReferences: [owner], creationTimestamp: iso(NOW - startedAgoH * H) },
  status: { startTime: iso(NOW - startedAgoH * H), ...(outcome ? { conditions: [{ type: outcome, status: "True", reason: outcome === "Failed" ? "BackoffLimitExceeded" : undefined, lastTransitionTime: iso(NOW - startedAgoH * H + 90_000) }] } : {}), ...extra },
});
const cron = (spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}) => ({ metadata: { name: "postgres-backup" }, spec, status });
const levels = (r: { level: string; findings: { key: string; level: string }[] }) => [r.level, ...r.findings.map((f) => `${f.level}:${f.key}`)];

describe("backup freshness", () => {
  const base = { namespace: "songnodes", cronJobName: "postgres-backup", now: NOW, maxAgeMs: 26 * H };
  it.each([
    ["last night's backup completed", cron(), [job("postgres-backup-1", 26.5 + 24, "Complete"), job("postgres-backup-2", 2.5, "Complete")], ["ok"]],
    ["the newest success is 50 hours old", cron(), [job("postgres-backup-1", 50, "Complete")], ["crit", "crit:backup:stale:postgres-backup"]],
    ["last night's Job failed after the one before succeeded", cron(), [job("postgres-backup-1", 26, "Complete"), job("postgres-backup-2", 2.5, "Failed")], ["crit", "crit:backup:failed:postgres-backup-2"]],
    ["the CronJob is suspended", cron({ suspend: true }), [job("postgres-backup-2", 2.5, "Complete")], ["crit", "crit:backup:suspended:postgres-backup"]],
    ["no Job ever succeeded", cron(), [job("postgres-backup-2", 2.5, null)], ["crit", "crit:backup:never:postgres-backup"]],
    // A hand-run Job (`kubectl create job --from=cronjob/…`) counts although lastSuccessfulTime is old.
    ["a backup run by hand counts though lastSuccessfulTime is old", cron({}, { lastSuccessfulTime: iso(NOW - 60 * H) }), [{ ...job("postgres-backup-manual-x7", 1, "Complete"), metadata: { name: "postgres-backup-manual-x7", annotations: { "cronjob.kubernetes.io/instantiate": "manual" }, ownerReferences: [owner] } }], ["ok"]],
  ])("%s", (_title, cronJob, jobs, expected) => {
    expect(levels(interpretBackupFreshness({ ...base, cronJob, jobs }))).toEqual(expected);
  });
  it("a missing CronJob is crit, naming it", () => {
    const result = interpretBackupFreshness({ ...base, cronJob: null, jobs: [] });
    expect(result.level).toBe("crit");
    expect(result.reason).toMatch(/CronJob postgres-backup not found/);
  });
});

describe("host disk", () => {
  const limits = parseConfig({}).maintenance.disk;
  const GB = 1e9;
  const disk = (usedPercent: number, total = 100 * GB) => ({ totalBytes: total, freeBytes: total * (1 - usedPercent / 100), availableBytes: Math.max(0, total * (1 - usedPercent / 100) - 0.05 * total) });
  it.each([
    ["/ at 50 %", "/", disk(50), ["ok"]],
    ["/ at 82 % used (df Use%) is a warn", "/", { totalBytes: 100 * GB, freeBytes: 18 * GB, availableBytes: 18 * GB }, ["warn", "warn:disk:/:warn"]],
    ["/ at 91 % is crit", "/", { totalBytes: 100 * GB, freeBytes: 9 * GB, availableBytes: 9 * GB }, ["crit", "crit:disk:/:crit"]],
    ["k3s's directory 79 % used but 18 % free warns before kubelet's 15 % eviction", "/var/lib/rancher/k3s", { totalBytes: 100 * GB, freeBytes: 21 * GB, availableBytes: 18 * GB + 2.9 * GB - 2.9 * GB }, ["warn", "warn:disk:/var/lib/rancher/k3s:warn"]],
    ["k3s's directory under 15 % free is crit: kubelet evicts", "/var/lib/rancher/k3s", { totalBytes: 100 * GB, freeBytes: 16 * GB, availableBytes: 14 * GB }, ["crit", "crit:disk:/var/lib/rancher/k3s:crit"]],
    ["an unreadable path is unknown, never ok", "/var/lib/docker", { error: "ENOENT" }, ["unknown", "unknown:disk:/var/lib/docker:unknown"]],
  ])("%s", (_title, path, usage, expected) => {
    expect(levels(interpretHostDisk([{ path, usage }], limits))).toEqual(expected);
  });
});

describe("PVC usage", () => {
  const pvc = (name: string, phase = "Bound", storageClassName = "longhorn") => ({ metadata: { name }, spec: { storageClassName }, status: { phase } });
  const summary = { pods: [{ volume: [{ pvcRef: { name: "data", namespace: "songnodes" }, usedBytes: 92, capacityBytes: 100 }, { name: "tmp", usedBytes: 1, capacityBytes: 2 }] }] };
  const stats = volumeStatsByClaim(summary);
  const pod = (claim: string, ownerKind = "StatefulSet") => ({ metadata: { name: `p-${claim}`, ownerReferences: [{ kind: ownerKind, name: "x" }] }, spec: { containers: [], volumes: [{ persistentVolumeClaim: { claimName: claim } }] }, status: { phase: "Running" } });
  const judge = (pvcs: object[], pods: object[] = []) => interpretPvcUsage({ namespace: "songnodes", pvcs, stats, pods: pods as never, warnPercent: 80, critPercent: 90 });
  it.each([
    ["a volume 92 % used is crit", [pvc("data")], [], ["crit", "crit:pvc:data:crit"]],
    ["a Pending PVC is a warn", [pvc("new", "Pending")], [], ["warn", "warn:pvc:new:Pending"]],
    ["a Lost PVC is crit", [pvc("old", "Lost")], [], ["crit", "crit:pvc:old:Lost"]],
    ["local-path gives no stats: unknown, never 0 %", [pvc("lp", "Bound", "local-path")], [pod("lp")], ["unknown", "unknown:pvc:lp:no-stats"]],
    ["mounted only by Job pods: unknown", [pvc("backups")], [pod("backups", "Job")], ["unknown", "unknown:pvc:backups:no-stats"]],
  ])("%s", (_title, pvcs, pods, expected) => {
    expect(levels(judge(pvcs, pods))).toEqual(expected);
  });
  it("says why a volume has no stats", () => {
    expect(judge([pvc("lp", "Bound", "local-path")], [pod("lp")]).reason).toMatch(/local-path volumes report none/);
    expect(judge([pvc("backups")], [pod("backups", "Job")]).reason).toMatch(/used only by Job pods/);
  });
});

describe("pods, nodes, Jobs, limits", () => {
  const running = { metadata: { name: "rest-api-1" }, spec: { containers: [{ name: "api", resources: { limits: { cpu: "1", memory: "1Gi" } } }] }, status: { phase: "Running", containerStatuses: [{ name: "api", ready: true, state: { running: {} } }] } };
  const backOff = { metadata: { name: "frontend-2" }, spec: { containers: [{ name: "web", image: "localhost:5000/songnodes_frontend:latest" }] }, status: { phase: "Pending", containerStatuses: [{ name: "web", ready: false, state: { waiting: { reason: "ImagePullBackOff", message: "dial tcp 127.0.0.1:5000: connect: connection refused" } } }] } };
  it("the pod sweep names each pod not Running or Completed with the daemon's judgement", () => {
    const result = interpretPodSweep([running, backOff] as never, "songnodes", "localhost:5000/");
    expect(levels(result)).toEqual(["warn", "warn:pod:frontend-2:ImagePullBackOff"]);
    expect(result.reason).toBe("frontend-2 ImagePullBackOff (registry refused)");
  });
  const pulling = (name: string, where: "containerStatuses" | "initContainerStatuses", reason: string, message: string, image = "localhost:5000/songnodes_frontend:latest") => ({
    metadata: { name }, spec: { containers: [{ name: "web", image }] },
    status: { phase: "Pending", [where]: [{ name: "web", image, ready: false, state: { waiting: { reason, message } } }] },
  });
  const crashing = { metadata: { name: "scraper-1" }, spec: { containers: [{ name: "s", image: "localhost:5000/scraper:1" }] }, status: { phase: "Running", containerStatuses: [{ name: "s", ready: false, restartCount: 7, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 5m0s" } } }] } };
  it.each([
    ["no pods", [], ["ok"], /^no image pull failures in songnodes$/],
    ["every pod running, one crash-looping: not a pull failure", [running, crashing], ["ok"], /^no image pull failures/],
    ["ImagePullBackOff from the local registry that refuses connections", [backOff], ["warn", "warn:pull:frontend-2"], /^frontend-2 ImagePullBackOff \(registry refused\)$/],
    ["ErrImagePull: the image is not in the registry", [pulling("rest-api-2", "containerStatuses", "ErrImagePull", "rpc error: code = NotFound desc = failed to pull and unpack image \"localhost:5000/rest_api:latest\": not found")], ["warn", "warn:pull:rest-api-2"], /^rest-api-2 ErrImagePull/],
    ["an init container failing to pull counts too", [pulling("nlp-0", "initContainerStatuses", "ImagePullBackOff", "Back-off pulling image")], ["warn", "warn:pull:nlp-0"], /^nlp-0 /],
    ["two pods: two findings, one each", [backOff, pulling("frontend-3", "containerStatuses", "ErrImagePull", "connection refused")], ["warn", "warn:pull:frontend-2", "warn:pull:frontend-3"], /^frontend-2 .*; frontend-3 /],
  ] as const)("image pull: %s", (_title, pods, expected, reason) => {
    const result = interpretImagePull(pods as never, "songnodes", "localhost:5000/");
    expect(levels(result)).toEqual(expected);
    expect(result.reason).toMatch(reason);
    for (const finding of result.findings) expect(finding.next).toMatch(/^kubectl -n songnodes describe pod \S+ && curl -s http:\/\/localhost:5000\/v2\/_catalog$/);
  });
  it("node pressure: MemoryPressure True is crit, False is fine", () => {
    const node = (status: string) => ({ metadata: { name: "n1" }, status: { conditions: [{ type: "MemoryPressure", status, message: "kubelet has insufficient memory available" }, { type: "Ready", status: "True" }] } });
    expect(levels(interpretNodePressure([node("True")]))).toEqual(["crit", "crit:node:n1:MemoryPressure"]);
    expect(levels(interpretNodePressure([node("False")]))).toEqual(["ok"]);
  });
  it("a failed backup Job is crit among failed Jobs, another CronJob's is a warn", () => {
    const other = { ...job("etl-9", 3, "Failed"), metadata: { name: "etl-9", ownerReferences: [{ kind: "CronJob", name: "etl" }] } };
    expect(levels(interpretFailedJobs([job("postgres-backup-2", 2, "Failed"), other, job("postgres-backup-1", 26, "Complete")], [], "songnodes", "postgres-backup"))).toEqual(["crit", "crit:job:postgres-backup-2:failed", "warn:job:etl-9:failed"]);
  });
  it("a container without limits is a warn; a replacement pod is the same finding", () => {
    const a = interpretPodLimits([{ metadata: { name: "frontend-7d9f8b6c4-abcde" }, spec: { containers: [{ name: "web" }] } }] as never, "songnodes");
    const b = interpretPodLimits([{ metadata: { name: "frontend-7d9f8b6c4-zzzzz" }, spec: { containers: [{ name: "web" }] } }] as never, "songnodes");
    expect(a.level).toBe("warn");
    expect(a.findings[0]!.key).toBe(b.findings[0]!.key);
    expect(interpretPodLimits([running] as never, "songnodes").level).toBe("ok");
  });
});

describe("backup integrity, data count, drill, trends", () => {
  const jobs = [job("postgres-backup-2", 2.5, "Complete")];
  const exec = (exitCode: number | null, stderr = "", extra = {}) => ({ exitCode, stdout: "", stderr, timedOut: false, error: null, ...extra });
  it.each([
    ["no command configured: the newest Job completed is enough", null, null, ["ok"]],
    ["pg_restore reads the whole dump", ["pg_restore", "-f", "/dev/null", "/backups/latest.dump"], exec(0), ["ok"]],
    ["a dump cut off halfway fails pg_restore: crit", ["pg_restore", "-f", "/dev/null", "/backups/latest.dump"], exec(1, "pg_restore: error: could not read input file: end of file"), ["crit", "crit:integrity:unreadable"]],
    ["the command timed out: unknown", ["pg_restore", "-f", "/dev/null", "x"], exec(null, "", { timedOut: true }), ["unknown", "unknown:integrity:timeout"]],
  ])("%s", (_title, command, result, expected) => {
    expect(levels(interpretBackupIntegrity({ namespace: "songnodes", cronJob: "postgres-backup", jobs, command, result }))).toEqual(expected);
  });
  it("a tracks count that fell by more than the tolerance is crit, pointing at the restore procedure", () => {
    const drop = interpretDataCount("SELECT COUNT(*) FROM tracks", 47_000, { at: NOW - H, count: 48_213 }, 2);
    expect(drop.level).toBe("crit");
    expect(drop.reason).toMatch(/may have lost data: see the restore procedure/);
    expect(interpretDataCount("q", 48_000, { at: NOW - H, count: 48_213 }, 2).level).toBe("ok");
    expect(interpretDataCount("q", 10, null, 2).level).toBe("ok");
    expect(parseCount(exec(0, "", { stdout: "48213\n" }))).toBe(48_213);
    expect(parseCount(exec(2, "psql: error: connection refused"))).toMatch(/psql exited 2/);
  });
  it.each([
    ["no drill on record", null, ["warn", "warn:drill:never"]],
    ["a drill 40 days ago", { at: NOW - 40 * 24 * H, note: "restored" }, ["warn", "warn:drill:stale"]],
    ["a drill 10 days ago", { at: NOW - 10 * 24 * H, note: "restored" }, ["ok"]],
  ])("DR drill: %s", (_title, last, expected) => {
    expect(levels(interpretDrill(last, NOW, 35 * 24 * H))).toEqual(expected);
  });
  it("reads quantities, and warns when a node's memory grew more than the tolerance month over month", () => {
    expect(parseQuantity("250m")).toBeCloseTo(0.25);
    expect(parseQuantity("512Mi")).toBe(512 * 1024 ** 2);
    expect(parseQuantity("123456789n")).toBeCloseTo(0.123456789);
    const sample = (daysAgo: number, memory: number) => ({ at: NOW - daysAgo * 24 * H, kind: "node" as const, name: "n1", cpuMillicores: 500, memoryBytes: memory });
    const trends = computeTrends([sample(45, 1e9), sample(40, 1e9), sample(10, 2e9), sample(5, 2e9)], NOW);
    expect(trends[0]!.memory.growthPercent).toBeCloseTo(100);
    expect(levels(interpretTrends(trends, 5, 50))).toEqual(["warn", "warn:trend:n1:memory"]);
    expect(interpretTrends([], 5, 50).level).toBe("unknown");
  });
});
