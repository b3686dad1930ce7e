// Flux on the simulated node: the GitRepository and HelmRelease that deploy SongNodes, in
// flux-system, with their Ready conditions and revisions as Flux's controllers write them. A
// reconcile is requested the way the flux CLI requests it (the reconcile.fluxcd.io/requestedAt
// annotation); the controllers answer by setting status.lastHandledReconcileAt.
import type { KubeObject, ObjectStore } from "../kube/store-types.js";
import { isoTime } from "./render-pod.js";

export const FLUX_NAMESPACE = "flux-system";
const REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
const OLD_SHA = "7c1e0a9d5b3f2e8a4c6d0b1f9e7a5c3d2b4f6a8e";
const NEW_SHA = "b2d4f6a8c0e1d3f5a7b9c1e3d5f7a9b1c3e5d7f9";

/** Flux's objects and the failure the fault injects. */
export interface FluxModel {
  installed(): boolean;
  /** Flux uninstalled: its CRDs and objects are gone. */
  remove(): void;
  /** Reconcile requests the controllers handled (a new requestedAt on the HelmRelease). */
  reconciles(): number;
  /** A new commit whose upgrade fails until retries are exhausted; `fixedByReconcile`: a reconcile then succeeds. */
  failRelease(fixedByReconcile: boolean): void;
}

const ready = (status: "True" | "False", reason: string, message: string, at: number) => [{ type: "Ready", status, reason, message, lastTransitionTime: isoTime(at), observedGeneration: 1 }];

/** Create the objects in `store` and answer reconcile requests. */
export function installFlux(store: ObjectStore, now: () => number): FluxModel {
  let installed = true;
  let failing: { fixedByReconcile: boolean } | null = null;
  let sha = OLD_SHA;
  let reconcileCount = 0;
  const revision = () => `main@sha1:${sha}`;
  const chart = (s: string) => `0.1.14+${s.slice(0, 12)}`;
  const start = now();
  store.put("gitrepositories", {
    apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository",
    metadata: { name: "songnodes", namespace: FLUX_NAMESPACE, generation: 1 },
    spec: { interval: "1m", url: "ssh://git@127.0.0.1/songnodes.git", ref: { branch: "main" } },
    status: { conditions: ready("True", "Succeeded", `stored artifact for revision '${revision()}'`, start), artifact: { revision: revision() } },
  });
  store.put("helmreleases", {
    apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease",
    metadata: { name: "songnodes", namespace: FLUX_NAMESPACE, generation: 1 },
    spec: { interval: "5m", chart: { spec: { chart: "./deploy/helm/songnodes", reconcileStrategy: "Revision", sourceRef: { kind: "GitRepository", name: "songnodes" } } }, targetNamespace: "songnodes" },
    status: { conditions: ready("True", "UpgradeSucceeded", `Helm upgrade succeeded for release songnodes/songnodes.v4 with chart songnodes@${chart(sha)}`, start), lastAppliedRevision: chart(sha), lastAttemptedRevision: chart(sha) },
  });

  const update = (resource: "gitrepositories" | "helmreleases", change: (o: KubeObject & { status: Record<string, any> }) => void): void => {
    const found = store.get(resource, FLUX_NAMESPACE, "songnodes");
    if (!found) return;
    const next = structuredClone(found) as KubeObject & { status: Record<string, any> };
    change(next);
    store.put(resource, next);
  };

  // The controllers see the annotation change and reconcile at once.
  const answer = (resource: "gitrepositories" | "helmreleases") => (event: { object: KubeObject }) => {
    const requested = (event.object.metadata.annotations as Record<string, string> | undefined)?.[REQUESTED_AT];
    const handled = (event.object.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt;
    if (!installed || requested === undefined || requested === handled) return;
    queueMicrotask(() =>
      update(resource, (o) => {
        o.status.lastHandledReconcileAt = requested;
        if (resource === "helmreleases") reconcileCount++;
        if (resource === "helmreleases" && failing?.fixedByReconcile) {
          failing = null;
          o.status.conditions = ready("True", "UpgradeSucceeded", `Helm upgrade succeeded for release songnodes/songnodes.v5 with chart songnodes@${chart(sha)}`, now());
          o.status.lastAppliedRevision = chart(sha);
        }
      }),
    );
  };
  store.watch("gitrepositories", FLUX_NAMESPACE, null, answer("gitrepositories"));
  store.watch("helmreleases", FLUX_NAMESPACE, null, answer("helmreleases"));

  return {
    installed: () => installed,
    reconciles: () => reconcileCount,
    remove() {
      installed = false;
      store.remove("helmreleases", FLUX_NAMESPACE, "songnodes");
      store.remove("gitrepositories", FLUX_NAMESPACE, "songnodes");
    },
    failRelease(fixedByReconcile) {
      failing = { fixedByReconcile };
      const applied = chart(sha);
      sha = NEW_SHA;
      update("gitrepositories", (o) => {
        o.status.artifact = { revision: revision() };
        o.status.conditions = ready("True", "Succeeded", `stored artifact for revision '${revision()}'`, now());
      });
      update("helmreleases", (o) => {
        o.status.conditions = ready("False", "UpgradeFailed", "upgrade retries exhausted", now());
        o.status.lastAppliedRevision = applied;
        o.status.lastAttemptedRevision = chart(sha);
      });
    },
  };
}
