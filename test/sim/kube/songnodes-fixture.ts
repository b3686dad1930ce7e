// A SongNodes namespace as it looks after an unclean reboot, seeded straight into an ObjectStore:
// one Ready k3s node, pods in every state the runbook deals with, the PVCs, PDBs, the backup CronJob
// and its Job, and events. Times are fixed against FIXTURE_NOW so AGE columns are predictable.
import type { KubeObject, ObjectStore } from "../../../src/sim/kube/store-types.js";

/** The virtual "now" the fixture's timestamps are relative to. */
export const FIXTURE_NOW = Date.parse("2025-11-13T10:00:00Z");

const ago = (minutes: number) => new Date(FIXTURE_NOW - minutes * 60_000).toISOString().replace(".000Z", "Z");
const NS = "songnodes";

const owner = (kind: string, name: string) => [{ apiVersion: kind === "Job" ? "batch/v1" : "apps/v1", kind, name, uid: `uid-${name}`, controller: true }];

function pod(name: string, ownerKind: string, ownerName: string, status: object, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, creationTimestamp: ago(60), labels: { app: ownerName }, ownerReferences: owner(ownerKind, ownerName), ...extra },
    spec: { nodeName: "songnodes-node", containers: [{ name: "main", image: `localhost:5000/songnodes_${ownerName}:latest` }] },
    status,
  };
}

const running = (restarts = 0) => ({
  phase: "Running",
  conditions: [{ type: "Ready", status: "True" }],
  containerStatuses: [{ name: "main", ready: true, restartCount: restarts, state: { running: { startedAt: ago(30) } } }],
});

/** Pods of the fixture, by the symptom each one shows. */
export const PODS = {
  postgres: pod("postgres-0", "StatefulSet", "postgres", running()),
  restApi: pod("rest-api-7d9f8b6c5-x2x4k", "ReplicaSet", "rest-api-7d9f8b6c5", running(2)),
  unknown: pod("redis-5c9d7f8b9-q8v7n", "ReplicaSet", "redis-5c9d7f8b9", { phase: "Unknown" }),
  failed: pod("websocket-api-6b8d9c7f4-m2n3p", "ReplicaSet", "websocket-api-6b8d9c7f4", {
    phase: "Failed",
    reason: "Terminated",
    message: "Pod was terminated in response to imminent node shutdown.",
  }),
  imagePull: pod("metadata-enrichment-5f7c8d9b6-k4j5h", "ReplicaSet", "metadata-enrichment-5f7c8d9b6", {
    phase: "Pending",
    containerStatuses: [{
      name: "main", ready: false, restartCount: 0, image: "localhost:5000/songnodes_metadata-enrichment:latest",
      state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "localhost:5000/songnodes_metadata-enrichment:latest"' } },
    }],
  }),
  terminating: pod("graph-visualization-8c6d5b4f7-t9r8s", "ReplicaSet", "graph-visualization-8c6d5b4f7", running(), {
    deletionTimestamp: ago(7),
    deletionGracePeriodSeconds: 30,
  }),
  backupJob: pod("postgres-backup-29385720-x7z9w", "Job", "postgres-backup-29385720", {
    phase: "Succeeded",
    containerStatuses: [{ name: "main", ready: false, restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } } }],
  }),
} satisfies Record<string, KubeObject>;

const pvc = (name: string, size: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: NS, creationTimestamp: ago(60 * 24 * 40) },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } }, storageClassName: "local-path", volumeName: `pvc-${name.length}a1b2c3d4-${name}` },
  status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: size } },
});

const pdb = (name: string): KubeObject => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name, namespace: NS, creationTimestamp: ago(60 * 24 * 40) },
  spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
  status: { disruptionsAllowed: name === "postgres" ? 1 : 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
});

const event = (name: string, kind: string, object: string, type: string, reason: string, message: string, minutesAgo: number): KubeObject => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name, namespace: NS, creationTimestamp: ago(minutesAgo) },
  involvedObject: { kind, name: object, namespace: NS },
  type,
  reason,
  message,
  firstTimestamp: ago(minutesAgo),
  lastTimestamp: ago(minutesAgo),
  count: 1,
  source: { component: "kubelet", host: "songnodes-node" },
});

/** Put the whole fixture into `store`. */
export function seedSongNodes(store: ObjectStore): void {
  store.put("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS, creationTimestamp: ago(60 * 24 * 40) }, status: { phase: "Active" } });
  store.put("nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: "songnodes-node",
      creationTimestamp: ago(60 * 24 * 40),
      labels: { "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true", "kubernetes.io/hostname": "songnodes-node" },
    },
    spec: {},
    status: {
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastTransitionTime: ago(20) }],
      nodeInfo: { kubeletVersion: "v1.31.4+k3s1" },
    },
  });
  for (const p of Object.values(PODS)) store.put("pods", p);
  for (const [name, size] of [["postgres-storage-postgres-0", "20Gi"], ["rabbitmq-data-rabbitmq-0", "10Gi"], ["redis-pvc", "5Gi"], ["postgres-backup-storage", "10Gi"]] as const) {
    store.put("persistentvolumeclaims", pvc(name, size));
  }
  for (const name of ["postgres", "rabbitmq", "redis", "rest-api", "graph-visualization", "metadata-enrichment"]) store.put("poddisruptionbudgets", pdb(name));
  store.put("cronjobs", {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "postgres-backup", namespace: NS, creationTimestamp: ago(60 * 24 * 40) },
    spec: { schedule: "0 2 * * *", suspend: false, jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure" } } } } },
    status: { lastScheduleTime: ago(8 * 60), lastSuccessfulTime: ago(8 * 60 - 3) },
  });
  store.put("jobs", {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "postgres-backup-29385720", namespace: NS, creationTimestamp: ago(8 * 60), ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "postgres-backup", uid: "uid-postgres-backup", controller: true }] },
    spec: { completions: 1, parallelism: 1 },
    status: { succeeded: 1, startTime: ago(8 * 60), completionTime: ago(8 * 60 - 3), conditions: [{ type: "Complete", status: "True" }] },
  });
  // Stored out of time order, so --sort-by=.lastTimestamp has something to do.
  store.put("events", event("postgres-0.1", "Pod", "postgres-0", "Normal", "Started", "Started container postgres", 30));
  store.put("events", event("metadata-enrichment.1", "Pod", PODS.imagePull.metadata.name, "Warning", "Failed",
    'Failed to pull image "localhost:5000/songnodes_metadata-enrichment:latest": dial tcp 127.0.0.1:5000: connect: connection refused', 5));
  store.put("events", event("node.1", "Node", "songnodes-node", "Normal", "NodeReady", "Node songnodes-node status is now: NodeReady", 20));
}
