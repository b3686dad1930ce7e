// The resources the simulated API server serves, with what discovery tells kubectl about them
// (short names are how `kubectl get pvc` and `kubectl get pdb` resolve).
import type { ResourceName } from "./store-types.js";

/** One served resource: where it lives in the REST tree and how kubectl names it. */
export interface ResourceInfo {
  name: ResourceName;
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  singularName: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
}

const r = (
  name: ResourceName,
  group: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[] = [],
  categories: string[] = [],
): ResourceInfo => ({ name, group, version: "v1", kind, singularName: kind.toLowerCase(), namespaced, shortNames, categories });

/** Every resource served, in discovery order. */
export const RESOURCES: readonly ResourceInfo[] = [
  r("namespaces", "", "Namespace", false, ["ns"]),
  r("nodes", "", "Node", false, ["no"]),
  r("pods", "", "Pod", true, ["po"], ["all"]),
  r("events", "", "Event", true, ["ev"]),
  r("persistentvolumeclaims", "", "PersistentVolumeClaim", true, ["pvc"]),
  r("services", "", "Service", true, ["svc"], ["all"]),
  r("deployments", "apps", "Deployment", true, ["deploy"], ["all"]),
  r("statefulsets", "apps", "StatefulSet", true, ["sts"], ["all"]),
  r("replicasets", "apps", "ReplicaSet", true, ["rs"], ["all"]),
  r("jobs", "batch", "Job", true, [], ["all"]),
  r("cronjobs", "batch", "CronJob", true, ["cj"], ["all"]),
  r("poddisruptionbudgets", "policy", "PodDisruptionBudget", true, ["pdb"]),
  // Flux's custom resources (CRDs): absent when Flux is not installed (the flux-absent fault).
  { ...r("gitrepositories", "source.toolkit.fluxcd.io", "GitRepository", true, ["gitrepo"], ["fluxcd"]), version: "v1" },
  { ...r("helmreleases", "helm.toolkit.fluxcd.io", "HelmRelease", true, ["hr"], ["fluxcd"]), version: "v2" },
];

/** The API groups besides the core group, as /apis lists them. */
export const API_GROUPS: readonly string[] = ["apps", "batch", "policy", "source.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"];

/** Whether a resource is served right now (Flux's CRDs can be absent); everything by default. */
export type ServedFilter = (info: ResourceInfo) => boolean;

/** The verbs this server implements (no writes except delete: the model is the only writer). */
export const VERBS = ["delete", "deletecollection", "get", "list", "patch", "watch"];

/** apiVersion as objects carry it: "v1" or "apps/v1". */
export function groupVersion(info: ResourceInfo): string {
  return info.group === "" ? info.version : `${info.group}/${info.version}`;
}

/** Look a resource up by group and plural name. */
export function findResource(group: string, version: string, name: string, served: ServedFilter = () => true): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.version === version && x.name === name && served(x));
}
