// What runs on the SongNodes node, from src/sim/songnodes-cluster.json (the public Helm chart and the
// runbook): the workloads the model creates, and the runbook's timings it plays them out with.
import cluster from "../songnodes-cluster.json" with { type: "json" };

/** One workload of the chart as the model needs it. */
export interface WorkloadSpec {
  kind: "Deployment" | "StatefulSet" | "CronJob";
  name: string;
  image: string;
  pullPolicy: "Always" | "IfNotPresent";
  /** Init containers that wait for a service, as the chart's `wait-for-postgres` / `wait-for-redis` do. */
  initWaitFor: { service: string; timeoutSeconds: number }[];
  /** Seconds until the readiness probe passes; metadata-enrichment's startup probe allows 600 s. */
  startupSeconds: [number, number];
  pvc: { name: string; size: string } | null;
  pdbMinAvailable: number | null;
  schedule: string | null;
  activeDeadlineSeconds: number | null;
}

/** The runbook's timings (runbookTimings in the inventory). */
export const RUNBOOK_TIMINGS = cluster.runbookTimings;

/** The node, registry and namespace facts. */
export const NODE_FACTS = cluster.node;
export const REGISTRY_FACTS = cluster.registry;
export const NAMESPACE = cluster.namespace;

interface RawWorkload {
  name: string;
  image: string;
  pullPolicy?: string;
  initWaitFor?: { service: string; timeoutSeconds: number }[];
  startupProbeBudgetSeconds?: number;
  pvc?: { name: string; size: string };
  pdbMinAvailable?: number;
  schedule?: string;
  activeDeadlineSeconds?: number;
}

function toSpec(kind: WorkloadSpec["kind"], raw: RawWorkload): WorkloadSpec {
  return {
    kind,
    name: raw.name,
    image: raw.image,
    // `:latest` is pulled on every start: the chart says imagePullPolicy: Always for the services, and
    // Kubernetes defaults a `:latest` image to Always when the chart says nothing (its CronJobs).
    pullPolicy: raw.pullPolicy === "Always" || (raw.pullPolicy === undefined && raw.image.endsWith(":latest")) ? "Always" : "IfNotPresent",
    initWaitFor: raw.initWaitFor ?? [],
    startupSeconds: raw.startupProbeBudgetSeconds ? [120, Math.min(300, raw.startupProbeBudgetSeconds)] : [5, 25],
    pvc: raw.pvc ?? null,
    pdbMinAvailable: raw.pdbMinAvailable ?? null,
    schedule: raw.schedule ?? null,
    activeDeadlineSeconds: raw.activeDeadlineSeconds ?? null,
  };
}

/** Every workload of the chart, StatefulSets first (the order they come up in). */
export function songnodesWorkloads(): WorkloadSpec[] {
  return [
    ...cluster.statefulSets.map((raw) => toSpec("StatefulSet", raw)),
    ...cluster.deployments.map((raw) => toSpec("Deployment", raw)),
    ...cluster.cronJobs.map((raw) => toSpec("CronJob", raw)),
  ];
}

/** The repositories the local registry holds: every localhost:5000 image of the chart, tag latest. */
export function registryRepositories(): Map<string, string[]> {
  const repositories = new Map<string, string[]>();
  for (const spec of songnodesWorkloads()) {
    if (!spec.image.startsWith("localhost:5000/")) continue;
    const [name, tag = "latest"] = spec.image.slice("localhost:5000/".length).split(":");
    if (name) repositories.set(name, [tag]);
  }
  return repositories;
}

/** The filler workloads' image: not from the local registry, already on the node. */
export const FILLER_IMAGE = "registry.k8s.io/pause:3.9";

/** `count` one-replica filler Deployments (filler-0001, …): pods the kubelet drives like any other. */
export function fillerWorkloads(count: number): WorkloadSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: "Deployment" as const, name: `filler-${String(i + 1).padStart(4, "0")}`, image: FILLER_IMAGE, pullPolicy: "IfNotPresent" as const,
    initWaitFor: [], startupSeconds: [5, 25] as [number, number], pvc: null, pdbMinAvailable: null, schedule: null, activeDeadlineSeconds: null,
  }));
}
