// The owners of the SongNodes pods as the API server holds them: Deployments with their
// ReplicaSets, StatefulSets, CronJobs and their Jobs, PVCs and PodDisruptionBudgets.
import type { KubeObject } from "../kube/store-types.js";
import type { WorkloadSpec } from "./inventory.js";
import { isoTime } from "./render-pod.js";
import { claimTemplates, podTemplateSpec } from "./chart-template.js";

/** The owner reference a workload's pods carry (controller: true). */
export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

const selector = (name: string) => ({ matchLabels: { app: name } });

/** The objects for one workload; `uids` gives the owners' uids, `rsName` the Deployment's ReplicaSet. */
export function workloadObjects(spec: WorkloadSpec, namespace: string, uid: string, rs: OwnerRef | null, createdAt: number): { resource: "deployments" | "statefulsets" | "cronjobs" | "replicasets" | "persistentvolumeclaims" | "poddisruptionbudgets"; object: KubeObject }[] {
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace, creationTimestamp: isoTime(createdAt), labels: { app: spec.name }, ...extra });
  const template = { metadata: { labels: { app: spec.name } }, spec: podTemplateSpec(spec) };
  const out: ReturnType<typeof workloadObjects> = [];
  if (spec.kind === "Deployment") {
    out.push({ resource: "deployments", object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { ...meta(spec.name), uid }, spec: { replicas: 1, selector: selector(spec.name), template } } });
    if (rs) {
      out.push({
        resource: "replicasets",
        object: {
          apiVersion: "apps/v1", kind: "ReplicaSet",
          metadata: { ...meta(rs.name), uid: rs.uid, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: spec.name, uid, controller: true }] },
          spec: { replicas: 1, selector: selector(spec.name), template },
        },
      });
    }
  } else if (spec.kind === "StatefulSet") {
    out.push({ resource: "statefulsets", object: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { ...meta(spec.name), uid }, spec: { replicas: 1, serviceName: spec.name, selector: selector(spec.name), template, volumeClaimTemplates: claimTemplates(spec) } } });
  } else {
    out.push({
      resource: "cronjobs",
      object: {
        apiVersion: "batch/v1", kind: "CronJob", metadata: { ...meta(spec.name), uid },
        spec: { schedule: spec.schedule, concurrencyPolicy: "Forbid", jobTemplate: { spec: { ...(spec.activeDeadlineSeconds ? { activeDeadlineSeconds: spec.activeDeadlineSeconds } : {}), template: { ...template, spec: { ...template.spec, restartPolicy: "OnFailure" } } } } },
      },
    });
  }
  if (spec.pvc) {
    out.push({
      resource: "persistentvolumeclaims",
      object: {
        apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(spec.pvc.name),
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "local-path", resources: { requests: { storage: spec.pvc.size } } },
        status: { phase: "Bound", capacity: { storage: spec.pvc.size }, accessModes: ["ReadWriteOnce"] },
      },
    });
  }
  if (spec.pdbMinAvailable !== null) {
    out.push({
      resource: "poddisruptionbudgets",
      object: { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(`${spec.name}-pdb`), spec: { minAvailable: spec.pdbMinAvailable, selector: selector(spec.name) } },
    });
  }
  return out;
}
