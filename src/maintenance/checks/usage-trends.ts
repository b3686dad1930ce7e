// Monthly: resource usage trends. Every hour the sampler keeps node and pod CPU and memory from the
// metrics API (metrics.k8s.io, k3s's bundled metrics-server) in SQLite; the monthly check compares
// the last 30 days with the 30 before and names the top consumers. `report --month` prints the same.
import type { MaintenanceStore, UsageSample } from "../../journal/maintenance.js";
import { failed, type ApiObject, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

const MONTH = 30 * 86_400_000;
const UNITS: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** A Kubernetes quantity ("250m", "123456789n", "512Mi") as a number; NaN when unreadable. */
export function parseQuantity(text: unknown): number {
  const match = /^(\d+(?:\.\d+)?)(n|u|m|k|M|G|Ki|Mi|Gi|Ti)?$/.exec(String(text ?? ""));
  return match ? Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN) : Number.NaN;
}

/** Samples from NodeMetrics and PodMetrics (a pod's containers summed). */
export function samplesFrom(nodes: readonly ApiObject[], pods: readonly ApiObject[], at: number): UsageSample[] {
  const out: UsageSample[] = [];
  for (const node of nodes) {
    out.push({ at, kind: "node", name: String(node.metadata?.name ?? ""), cpuMillicores: parseQuantity(node.usage?.cpu) * 1000, memoryBytes: parseQuantity(node.usage?.memory) });
  }
  for (const pod of pods) {
    const containers: ApiObject[] = Array.isArray(pod.containers) ? pod.containers : [];
    out.push({
      at, kind: "pod", name: String(pod.metadata?.name ?? ""),
      cpuMillicores: containers.reduce((sum, c) => sum + parseQuantity(c.usage?.cpu) * 1000, 0),
      memoryBytes: containers.reduce((sum, c) => sum + parseQuantity(c.usage?.memory), 0),
    });
  }
  return out.filter((s) => s.name !== "" && Number.isFinite(s.cpuMillicores) && Number.isFinite(s.memoryBytes));
}

/** A pod's workload: its name without the ReplicaSet and pod suffixes, so replacements add up. */
export function workloadOf(pod: string): string {
  return pod.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, "").replace(/-[a-z0-9]{5}$/, "").replace(/-\d+$/, "");
}

/** Averages per node or workload, this month and the month before, with growth in percent. */
export interface UsageTrend {
  kind: "node" | "pod";
  name: string;
  cpu: { now: number; before: number | null; growthPercent: number | null; series: number[] };
  memory: { now: number; before: number | null; growthPercent: number | null; series: number[] };
}

/** Compute the trends from the samples of the last two months. */
export function computeTrends(samples: readonly UsageSample[], now: number): UsageTrend[] {
  const groups = new Map<string, UsageSample[]>();
  for (const s of samples) {
    const key = `${s.kind}/${s.kind === "pod" ? workloadOf(s.name) : s.name}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(s);
  }
  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
  const growth = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : ((a - b) / b) * 100);
  const daily = (list: UsageSample[], pick: (s: UsageSample) => number) => {
    const days = Array.from({ length: 30 }, () => [] as number[]);
    for (const s of list) {
      const day = Math.floor((s.at - (now - MONTH)) / 86_400_000);
      if (day >= 0 && day < 30) days[day]!.push(pick(s));
    }
    return days.map((d) => mean(d) ?? 0);
  };
  return [...groups.entries()].map(([key, list]) => {
    const [kind, name] = key.split(/\/(.*)/s) as ["node" | "pod", string];
    const current = list.filter((s) => s.at > now - MONTH);
    const previous = list.filter((s) => s.at <= now - MONTH && s.at > now - 2 * MONTH);
    const cpuNow = mean(current.map((s) => s.cpuMillicores)) ?? 0;
    const memNow = mean(current.map((s) => s.memoryBytes)) ?? 0;
    const cpuBefore = mean(previous.map((s) => s.cpuMillicores));
    const memBefore = mean(previous.map((s) => s.memoryBytes));
    return {
      kind, name,
      cpu: { now: cpuNow, before: cpuBefore, growthPercent: growth(cpuNow, cpuBefore), series: daily(current, (s) => s.cpuMillicores) },
      memory: { now: memNow, before: memBefore, growthPercent: growth(memNow, memBefore), series: daily(current, (s) => s.memoryBytes) },
    };
  });
}

/** Judge the trends: a node whose memory or CPU grew more than `growthWarnPercent` month over month is a warn. */
export function interpretTrends(trends: readonly UsageTrend[], top: number, growthWarnPercent: number): CheckResult {
  const findings: Finding[] = [];
  for (const t of trends.filter((t) => t.kind === "node")) {
    for (const [what, series] of [["memory", t.memory], ["CPU", t.cpu]] as const) {
      if (series.growthPercent !== null && series.growthPercent > growthWarnPercent) {
        findings.push({ key: `trend:${t.name}:${what}`, level: "warn", text: `node ${t.name} ${what} use grew ${series.growthPercent.toFixed(0)} % month over month`, next: "songnodes-watchdog report --month" });
      }
    }
  }
  if (trends.length === 0) return { level: "unknown", reason: "no usage samples yet (the sampler keeps one an hour from metrics.k8s.io)", next: "kubectl top nodes", findings: [] };
  const consumers = trends.filter((t) => t.kind === "pod").sort((a, b) => b.memory.now - a.memory.now).slice(0, top);
  const named = consumers.map((t) => `${t.name} ${(t.memory.now / 1024 ** 2).toFixed(0)} MiB`).join(", ");
  return fromFindings(findings, `usage steady; top memory: ${named || "none"}`);
}

/** The hourly sampler: keeps one sample of every node and pod; ok, or unknown when the metrics API cannot be read. */
export function createUsageSampler(deps: { kube: MaintenanceKube; store: MaintenanceStore; namespace: string; now: () => number; retentionMs: number }): MaintenanceCheck {
  return {
    name: "usage-sample",
    cadence: "hourly",
    async run(signal) {
      const [nodes, pods] = await Promise.all([deps.kube.nodeMetrics(signal), deps.kube.podMetrics(deps.namespace, signal)]);
      if (failed(nodes)) return cannotLook(`cannot read the metrics API: ${nodes.error}`, "kubectl top nodes");
      if (failed(pods)) return cannotLook(`cannot read the metrics API: ${pods.error}`, `kubectl top pods -n ${deps.namespace}`);
      const at = deps.now();
      const samples = samplesFrom(nodes, pods, at);
      deps.store.recordSamples(samples);
      deps.store.pruneSamples(at - deps.retentionMs);
      return { level: "ok", reason: `kept ${samples.length} usage samples`, next: null, findings: [] };
    },
  };
}

/** The monthly trends check. */
export function createTrendsCheck(deps: { store: MaintenanceStore; now: () => number; top: number; growthWarnPercent: number }): MaintenanceCheck {
  return {
    name: "usage-trends",
    cadence: "monthly",
    run: async () => interpretTrends(computeTrends(deps.store.samplesSince(deps.now() - 2 * MONTH), deps.now()), deps.top, deps.growthWarnPercent),
  };
}
