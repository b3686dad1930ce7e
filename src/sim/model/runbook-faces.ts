// What the runbook checks look at on the simulated node, beside what the recovery loop needs:
// whether k3s and the watchdog are enabled at boot, the registry container's restart policy, the
// PodDisruptionBudgets' status as the disruption controller writes it, and pods the scheduler cannot
// place (a second replica that does not fit in memory). Installed on a node after it is built.
import type { KubeObject, ObjectStore } from "../kube/store-types.js";
import type { EventRecorder } from "./events.js";
import { isoTime } from "./render-pod.js";
import { installFlux, type FluxModel } from "./flux-objects.js";

/** The switches and the PDB controller. */
export interface RunbookFaces {
  /** UnitFileState of k3s.service and of the watchdog's own unit. */
  unitFileState(unit: string): string;
  setUnitFileState(unit: string, state: string): void;
  /** HostConfig.RestartPolicy.Name of the registry container. */
  registryRestartPolicy(): string;
  setRegistryRestartPolicy(policy: string): void;
  /** Add a Pending pod of `workload` the scheduler cannot place (FailedScheduling, Insufficient memory). */
  unschedulableReplica(workload: string): string;
  /** A chart change that drops a container's `field` from `workload`'s pod template (a rollout). */
  removeFromSpec(workload: string, field: SpecField): void;
  /** Flux's GitRepository and HelmRelease (flux-system). */
  readonly flux: FluxModel;
  /** Recompute every PDB's status from the pods (the disruption controller's count). */
  syncPdbs(): void;
}

/** What a `spec-missing` fault can remove from a container. */
export type SpecField = "limits" | "livenessProbe" | "readinessProbe";

export const INSUFFICIENT_MEMORY = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

/** Install on `store`: the PDBs follow every pod change from now on. */
export function installRunbookFaces(deps: { store: ObjectStore; events: EventRecorder; namespace: string; now: () => number }): RunbookFaces {
  const { store, namespace } = deps;
  const unitStates = new Map<string, string>();
  let restartPolicy = "always";
  let extra = 0;

  const healthy = (pod: KubeObject): boolean =>
    !pod.metadata.deletionTimestamp && ((pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

  const syncPdbs = (): void => {
    // Read-only views (no copy per pod): the status is written back through put.
    const pods = store.listShared("pods", namespace).items;
    for (const pdb of store.listShared("poddisruptionbudgets", namespace).items) {
      const spec = pdb.spec as { minAvailable?: number; selector?: { matchLabels?: Record<string, string> } };
      const match = spec.selector?.matchLabels ?? {};
      const mine = pods.filter((pod) => Object.entries(match).every(([k, v]) => pod.metadata.labels?.[k] === v));
      const current = mine.filter(healthy).length;
      const desired = spec.minAvailable ?? 0;
      const allowed = current > desired;
      const before = pdb.status as { currentHealthy?: number; conditions?: { status: string; lastTransitionTime: string }[] } | undefined;
      const was = before?.conditions?.[0];
      if (before?.currentHealthy === current && was?.status === (allowed ? "True" : "False")) continue;
      const since = was && was.status === (allowed ? "True" : "False") ? was.lastTransitionTime : isoTime(deps.now());
      store.put("poddisruptionbudgets", {
        ...pdb,
        status: {
          observedGeneration: 1, currentHealthy: current, desiredHealthy: desired, expectedPods: mine.length, disruptionsAllowed: Math.max(0, current - desired),
          conditions: [{ type: "DisruptionAllowed", status: allowed ? "True" : "False", reason: allowed ? "SufficientPods" : "InsufficientPods", message: "", observedGeneration: 1, lastTransitionTime: since }],
        },
      });
    }
  };
  // Coalesced: a reboot changes every pod at once, and thousands of filler pods must not cost n².
  let queued = false;
  store.watch("pods", namespace, null, () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      syncPdbs();
    });
  });
  syncPdbs();

  const flux = installFlux(store, deps.now);

  return {
    flux,
    unitFileState: (unit) => unitStates.get(unit) ?? "enabled",
    setUnitFileState: (unit, state) => void unitStates.set(unit, state),
    registryRestartPolicy: () => restartPolicy,
    setRegistryRestartPolicy: (policy) => void (restartPolicy = policy),
    syncPdbs,
    removeFromSpec(workload, field) {
      for (const resource of ["deployments", "statefulsets", "cronjobs"] as const) {
        const object = store.get(resource, namespace, workload);
        if (!object) continue;
        const changed = structuredClone(object) as KubeObject & { spec: Record<string, any> };
        const pod = resource === "cronjobs" ? changed.spec.jobTemplate?.spec?.template?.spec : changed.spec.template?.spec;
        for (const container of (pod?.containers ?? []) as Record<string, any>[]) {
          if (field === "limits") delete container.resources?.limits;
          else delete container[field];
        }
        changed.metadata.generation = Number(object.metadata.generation ?? 1) + 1;
        store.put(resource, changed);
      }
    },
    unschedulableReplica(workload) {
      const owner = store.list("replicasets", namespace).items.find((rs) => rs.metadata.labels?.app === workload)
        ?? store.list("statefulsets", namespace).items.find((sts) => sts.metadata.name === workload);
      const name = `${owner?.metadata.name ?? workload}-mem${++extra}`;
      const template = (owner?.spec as { template?: { spec?: object } } | undefined)?.template?.spec ?? { containers: [] };
      const at = isoTime(deps.now());
      const pod = store.put("pods", {
        apiVersion: "v1", kind: "Pod",
        metadata: {
          name, namespace, creationTimestamp: at, labels: { app: workload },
          ...(owner ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? "", controller: true }] } : {}),
        },
        spec: { ...template, schedulerName: "default-scheduler" },
        status: { phase: "Pending", qosClass: "Burstable", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: INSUFFICIENT_MEMORY, lastProbeTime: null, lastTransitionTime: at }] },
      });
      deps.events.record({ kind: "Pod", name, namespace, uid: pod.metadata.uid ?? "" }, "Warning", "FailedScheduling", INSUFFICIENT_MEMORY, "default-scheduler");
      return name;
    },
  };
}
