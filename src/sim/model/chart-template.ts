// The pod template of each SongNodes workload as the chart writes it, for what reads the workloads'
// specs (the `audit`): requests and limits, liveness and readiness probes, the init containers that
// wait for PostgreSQL and Redis, restartPolicy, the PVCs. The resource figures are the simulator's
// own (every container has requests and a memory limit, as the runbook says the chart does).
import type { WorkloadSpec } from "./inventory.js";

// The StatefulSets' claim templates: the PVC of pod 0 is "<template>-<name>-0" (postgres-storage-postgres-0).
const claimTemplate = (spec: WorkloadSpec): string | null => (spec.kind === "StatefulSet" && spec.pvc ? spec.pvc.name.replace(new RegExp(`-${spec.name}-0$`), "") : null);

/** The pod template's spec for `spec`. */
export function podTemplateSpec(spec: WorkloadSpec): Record<string, unknown> {
  const cronJob = spec.kind === "CronJob";
  const heavy = spec.name === "postgres" || spec.name === "metadata-enrichment" || spec.name === "nlp-processor";
  const resources = { requests: { cpu: heavy ? "250m" : "100m", memory: heavy ? "512Mi" : "128Mi" }, limits: { cpu: heavy ? "1" : "500m", memory: heavy ? "1Gi" : "256Mi" } };
  const port = spec.name === "postgres" ? 5432 : spec.name === "redis" ? 6379 : spec.name === "rabbitmq" ? 5672 : 8080;
  const probe = (period: number) =>
    spec.name === "postgres"
      ? { exec: { command: ["pg_isready", "-U", "musicdb_user", "-d", "musicdb"] }, periodSeconds: period }
      : spec.name === "redis" || spec.name === "rabbitmq"
        ? { tcpSocket: { port }, periodSeconds: period }
        : { httpGet: { path: "/health", port }, periodSeconds: period };
  // The API server defaults imagePullPolicy to Always for a :latest image the chart leaves it off.
  const pullPolicy = /:latest$/.test(spec.image) ? "Always" : spec.pullPolicy;
  const container: Record<string, unknown> = {
    name: spec.name, image: spec.image, imagePullPolicy: pullPolicy, resources,
    ...(cronJob ? {} : { livenessProbe: probe(20), readinessProbe: probe(10) }),
    ...(spec.startupSeconds[1] > 60 && !cronJob ? { startupProbe: { ...probe(10), failureThreshold: 60 } } : {}),
  };
  const template = claimTemplate(spec);
  const mounted = spec.pvc && !template ? [{ name: "data", persistentVolumeClaim: { claimName: spec.pvc.name } }] : [];
  if (template ?? mounted.length > 0) container.volumeMounts = [{ name: template ?? "data", mountPath: "/data" }];
  return {
    restartPolicy: cronJob ? "OnFailure" : "Always",
    ...(spec.initWaitFor.length > 0
      ? {
          initContainers: spec.initWaitFor.map((wait) => ({
            name: `wait-for-${wait.service}`, image: "busybox:1.36",
            command: ["sh", "-c", `timeout ${wait.timeoutSeconds} sh -c 'until nc -z ${wait.service} ${wait.service === "redis" ? 6379 : 5432}; do sleep 2; done'`],
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
          })),
        }
      : {}),
    containers: [container],
    ...(mounted.length > 0 ? { volumes: mounted } : {}),
  };
}

/** volumeClaimTemplates for a StatefulSet with a PVC, else none. */
export function claimTemplates(spec: WorkloadSpec): Record<string, unknown>[] {
  const template = claimTemplate(spec);
  return template && spec.pvc ? [{ metadata: { name: template }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "local-path", resources: { requests: { storage: spec.pvc.size } } } }] : [];
}
