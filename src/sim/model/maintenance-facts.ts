// What the maintenance checks look at on the simulated node: the backup CronJob's Job history (Jobs
// finish with the conditions their pods earn, or fail under `backup-failing`), the host's file
// systems (`disk-filling`), kubelet's volume stats (`pvc-filling`), the metrics API and Exec into
// postgres (the tracks count; `postgres-count-failing`). Built beside the node model; it only reads the store and writes Jobs.
import type { NodeExtras } from "../kube/node-extras.js";
import type { KubeObject, ObjectStore } from "../kube/store-types.js";
import { songnodesWorkloads } from "./inventory.js";
import { isoTime } from "./render-pod.js";
import type { Scheduler } from "./scheduler.js";

const GIB = 1024 ** 3;
const HOUR = 3_600_000;

/** A fill that grows linearly from `from` to `to` percent over `over` ms from `at`. */
interface Fill {
  from: number;
  to: number;
  at: number;
  over: number;
}

/** The maintenance faults: a scenario names them like the others. */
export type MaintenanceFault =
  | { fault: "backup-failing" }
  | { fault: "disk-filling"; path: string; toPercent: number; over: number }
  | { fault: "pvc-filling"; pvc: string; toPercent: number; over: number }
  /** psql in postgres fails from now on: exits 2 with an error, or prints no single number. */
  | { fault: "postgres-count-failing"; output: "error" | "garbled" };

/** The facts and their faults. */
export interface MaintenanceFacts {
  inject(fault: MaintenanceFault): void;
  /** statfs of a host path, or null for a path the node does not have. */
  filesystem(path: string): { totalBytes: number; availableBytes: number; freeBytes: number } | null;
  /** kubelet's /stats/summary body. */
  statsSummary(): Record<string, unknown>;
  nodeMetrics(): KubeObject[];
  podMetrics(): KubeObject[];
  /** A command in a pod: what the real Exec would give back. */
  exec(pod: string, argv: readonly string[]): { exitCode: number | null; stdout: string; stderr: string; error: string | null };
}

/** Build the facts for the node; seeds three days of nightly backups that succeeded. */
export function createMaintenanceFacts(env: { store: ObjectStore; scheduler: Scheduler; namespace: string; nodeName: string; trackRows(): number }): MaintenanceFacts {
  const { store, scheduler, namespace } = env;
  const workloads = songnodesWorkloads();
  const backup = workloads.find((w) => w.name === "postgres-backup");
  let backupFailing = false;
  let countFailing: "error" | "garbled" | null = null;
  const disks = new Map<string, { totalBytes: number; fill: Fill }>([
    ["/", { totalBytes: 50 * GIB, fill: { from: 41, to: 41, at: 0, over: 1 } }],
    ["/var/lib/rancher/k3s", { totalBytes: 200 * GIB, fill: { from: 38, to: 38, at: 0, over: 1 } }],
    ["/var/lib/docker", { totalBytes: 200 * GIB, fill: { from: 23, to: 23, at: 0, over: 1 } }],
  ]);
  const pvcFill = new Map<string, Fill>([
    ["postgres-storage-postgres-0", { from: 31, to: 31, at: 0, over: 1 }],
    ["rabbitmq-data-rabbitmq-0", { from: 6, to: 6, at: 0, over: 1 }],
    ["redis-pvc", { from: 3, to: 3, at: 0, over: 1 }],
    ["postgres-backup-storage", { from: 44, to: 44, at: 0, over: 1 }],
  ]);
  const percentOf = (fill: Fill) => fill.from + (fill.to - fill.from) * Math.min(1, Math.max(0, (scheduler.now() - fill.at) / fill.over));
  const sizeOf = (pvc: string) => Number(/^(\d+)Gi$/.exec(workloads.find((w) => w.pvc?.name === pvc)?.pvc?.size ?? "")?.[1] ?? 10) * GIB;

  // History: the last three nightly backups completed (successfulJobsHistoryLimit 3).
  const seedHistory = () => {
    const cron = store.get("cronjobs", namespace, "postgres-backup");
    if (!cron || !backup) return;
    const today2am = Math.floor(scheduler.now() / 86_400_000) * 86_400_000 + 2 * HOUR;
    const last = today2am <= scheduler.now() ? today2am : today2am - 86_400_000;
    for (const start of [last - 2 * 86_400_000, last - 86_400_000, last]) {
      const name = `postgres-backup-${Math.floor(start / 60_000)}`;
      store.put("jobs", {
        apiVersion: "batch/v1", kind: "Job",
        metadata: { name, namespace, uid: `seed-${name}`, creationTimestamp: isoTime(start), labels: { app: "postgres-backup" }, ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "postgres-backup", uid: String(cron.metadata.uid ?? ""), controller: true }] },
        spec: { backoffLimit: 6, completions: 1, parallelism: 1 },
        status: { startTime: isoTime(start), completionTime: isoTime(start + 95_000), succeeded: 1, conditions: [{ type: "Complete", status: "True", lastTransitionTime: isoTime(start + 95_000) }] },
      });
    }
    store.put("cronjobs", { ...cron, status: { lastScheduleTime: isoTime(last), lastSuccessfulTime: isoTime(last + 95_000) } });
  };

  // A Job ends when its pod does: Complete, or Failed after its back-off limit under `backup-failing`.
  const finishJob = (pod: KubeObject) => {
    const owner = (pod.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.find((o) => o.kind === "Job");
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (!owner || (phase !== "Succeeded" && phase !== "Failed")) return;
    const job = store.get("jobs", namespace, owner.name);
    const status = (job?.status ?? {}) as Record<string, unknown>;
    if (!job || Array.isArray(status.conditions)) return;
    const at = isoTime(scheduler.now());
    const fails = phase === "Failed" || (backupFailing && owner.name.startsWith("postgres-backup-"));
    store.put("jobs", {
      ...job,
      status: fails
        ? { startTime: status.startTime, failed: 7, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: at }] }
        : { startTime: status.startTime, completionTime: at, succeeded: 1, conditions: [{ type: "Complete", status: "True", lastTransitionTime: at }] },
    });
    if (!fails && owner.name.startsWith("postgres-backup-")) {
      const cron = store.get("cronjobs", namespace, "postgres-backup");
      if (cron) store.put("cronjobs", { ...cron, status: { ...(cron.status as object), lastSuccessfulTime: at } });
    }
  };
  store.watch("pods", namespace, null, (event) => {
    if (event.type === "ADDED" || event.type === "MODIFIED") finishJob(event.object);
  });

  const runningPods = () => store.list("pods", namespace).items.filter((p) => (p.status as { phase?: string } | undefined)?.phase === "Running" && !p.metadata.deletionTimestamp);
  const workloadOf = (pod: KubeObject) => String((pod.metadata.labels as Record<string, string> | undefined)?.app ?? "");
  // Deterministic usage per pod name: the same pod uses the same, a replacement differs a little.
  const hash = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

  seedHistory();
  return {
    inject(fault) {
      if (fault.fault === "backup-failing") backupFailing = true;
      else if (fault.fault === "postgres-count-failing") countFailing = fault.output;
      else if (fault.fault === "disk-filling") {
        const disk = disks.get(fault.path);
        if (disk) disk.fill = { from: percentOf(disk.fill), to: fault.toPercent, at: scheduler.now(), over: Math.max(1, fault.over) };
      } else {
        const fill = pvcFill.get(fault.pvc);
        if (fill) pvcFill.set(fault.pvc, { from: percentOf(fill), to: fault.toPercent, at: scheduler.now(), over: Math.max(1, fault.over) });
      }
    },
    filesystem(path) {
      const disk = disks.get(path);
      if (!disk) return null;
      const used = Math.round((disk.totalBytes * percentOf(disk.fill)) / 100);
      // ext4 keeps 5 % for root: free counts it, available does not.
      const reserve = Math.round(disk.totalBytes * 0.05);
      return { totalBytes: disk.totalBytes, freeBytes: disk.totalBytes - used, availableBytes: Math.max(0, disk.totalBytes - used - reserve) };
    },
    statsSummary() {
      const pods = runningPods().map((pod) => {
        const claim = workloads.find((w) => w.name === workloadOf(pod))?.pvc?.name;
        const fill = claim ? pvcFill.get(claim) : undefined;
        const capacityBytes = claim ? sizeOf(claim) : 0;
        return {
          podRef: { name: pod.metadata.name, namespace },
          volume: claim && fill ? [{ name: "data", pvcRef: { name: claim, namespace }, capacityBytes, usedBytes: Math.round((capacityBytes * percentOf(fill)) / 100), availableBytes: Math.round(capacityBytes * (1 - percentOf(fill) / 100)) }] : [],
        };
      });
      return { node: { nodeName: env.nodeName }, pods };
    },
    nodeMetrics() {
      const memory = runningPods().reduce((sum, pod) => sum + 64 + (hash(String(pod.metadata.name)) % 256), 900);
      return [{ apiVersion: "metrics.k8s.io/v1beta1", kind: "NodeMetrics", metadata: { name: env.nodeName }, timestamp: isoTime(scheduler.now()), window: "10s", usage: { cpu: `${400 + runningPods().length * 35}m`, memory: `${memory}Mi` } }];
    },
    podMetrics() {
      return runningPods().map((pod) => ({
        apiVersion: "metrics.k8s.io/v1beta1", kind: "PodMetrics", metadata: { name: pod.metadata.name, namespace }, timestamp: isoTime(scheduler.now()), window: "10s",
        containers: [{ name: workloadOf(pod), usage: { cpu: `${5 + (hash(String(pod.metadata.name)) % 120)}m`, memory: `${64 + (hash(String(pod.metadata.name)) % 256)}Mi` } }],
      }));
    },
    exec(podName, argv) {
      const pod = store.get("pods", namespace, podName);
      if (!pod) return { exitCode: null, stdout: "", stderr: "", error: `pods "${podName}" not found` };
      if ((pod.status as { phase?: string } | undefined)?.phase !== "Running") return { exitCode: null, stdout: "", stderr: "", error: `container not running in pod ${podName}` };
      if (argv[0] === "psql" && countFailing === "error") return { exitCode: 2, stdout: "", stderr: "psql: error: connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  password authentication failed for user \"musicdb_user\"\n", error: null };
      if (argv[0] === "psql" && countFailing === "garbled") return { exitCode: 0, stdout: "WARNING:  database \"musicdb\" has a collation version mismatch\n48213\n", stderr: "", error: null };
      if (argv[0] === "psql" && /count\(\*\)/i.test(argv.join(" "))) return { exitCode: 0, stdout: `${env.trackRows()}\n`, stderr: "", error: null };
      if (argv.some((a) => a.includes("pg_restore"))) return { exitCode: 0, stdout: "", stderr: "", error: null };
      return { exitCode: 127, stdout: "", stderr: `${argv[0]}: command not found\n`, error: null };
    },
  };
}

/** The API server's stats summary and metrics answers from the node's facts. */
export function nodeExtras(node: { nodeName: string; namespace: string; maintenance: MaintenanceFacts }): NodeExtras {
  return {
    statsSummary: (name) => (name === node.nodeName ? node.maintenance.statsSummary() : null),
    nodeMetrics: () => node.maintenance.nodeMetrics(),
    podMetrics: (namespace) => (namespace === node.namespace ? node.maintenance.podMetrics() : []),
  };
}
