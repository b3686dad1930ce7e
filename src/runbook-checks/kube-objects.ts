// The API objects the runbook checks read (pods, events, PDBs, workloads, Flux's objects) and the
// one write they may make (a merge patch of an annotation), through client-node. A failed read is
// a value with the sentence why; never a throw into a check.
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubeClient } from "../kube/client.js";
import { describeKubeError, kubeErrorCode } from "../kube/kube-error.js";

/** An object as the API returns it; checks read the fields they need, defensively. */
export type ApiObject = Record<string, any>;

/** A resource by group, version and plural; group "" is the core group. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
}

/** A list, or why not; `notFound` when the resource type itself is not served (a CRD not installed). */
export type ListAnswer = { items: ApiObject[] } | { error: string; notFound: boolean };

/** What the checks read and write. */
export interface RunbookKube {
  list(resource: ResourceRef, namespace: string, signal: AbortSignal): Promise<ListAnswer>;
  /** A JSON merge patch (application/merge-patch+json) of one object; resolves to null or the error. */
  mergePatch(resource: ResourceRef, namespace: string, name: string, patch: object, signal: AbortSignal): Promise<string | null>;
}

/** The reader over the daemon's Kubernetes client. */
export function createRunbookKube(client: KubeClient): RunbookKube {
  const custom = () => client.connect().config.makeApiClient(CustomObjectsApi);
  return {
    async list(resource, namespace, signal) {
      try {
        if (resource.group === "") return { items: await listCore(client, resource.plural, namespace, signal) };
        const answer = await custom().listNamespacedCustomObject({ group: resource.group, version: resource.version, namespace, plural: resource.plural }, client.callOptions(signal));
        const items = (answer as { items?: unknown } | null)?.items;
        if (!Array.isArray(items)) return { error: `the API's answer for ${resource.plural} has no items`, notFound: false };
        return { items: items as ApiObject[] };
      } catch (error) {
        return { error: describeKubeError(error, client.requestTimeoutMs), notFound: kubeErrorCode(error) === 404 };
      }
    },
    async mergePatch(resource, namespace, name, patch, signal) {
      try {
        const options = setHeaderOptions("Content-Type", PatchStrategy.MergePatch, client.callOptions(signal));
        await custom().patchNamespacedCustomObject({ group: resource.group, version: resource.version, namespace, plural: resource.plural, name, body: patch }, options);
        return null;
      } catch (error) {
        return describeKubeError(error, client.requestTimeoutMs);
      }
    },
  };
}

async function listCore(client: KubeClient, plural: string, namespace: string, signal: AbortSignal): Promise<ApiObject[]> {
  const core: CoreV1Api = client.connect().core;
  const options = client.callOptions(signal);
  if (plural === "pods") return (await core.listNamespacedPod({ namespace }, options)).items as ApiObject[];
  if (plural === "events") return (await core.listNamespacedEvent({ namespace }, options)).items as ApiObject[];
  if (plural === "persistentvolumeclaims") return (await core.listNamespacedPersistentVolumeClaim({ namespace }, options)).items as ApiObject[];
  throw new Error(`core resource ${plural} is not read by the runbook checks`);
}

/** The resources the checks name. */
export const RESOURCES = {
  pods: { group: "", version: "v1", plural: "pods" },
  events: { group: "", version: "v1", plural: "events" },
  pvcs: { group: "", version: "v1", plural: "persistentvolumeclaims" },
  pdbs: { group: "policy", version: "v1", plural: "poddisruptionbudgets" },
  deployments: { group: "apps", version: "v1", plural: "deployments" },
  statefulSets: { group: "apps", version: "v1", plural: "statefulsets" },
  daemonSets: { group: "apps", version: "v1", plural: "daemonsets" },
  cronJobs: { group: "batch", version: "v1", plural: "cronjobs" },
  jobs: { group: "batch", version: "v1", plural: "jobs" },
  hpas: { group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers" },
  gitRepositories: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "gitrepositories" },
  helmReleases: { group: "helm.toolkit.fluxcd.io", version: "v2", plural: "helmreleases" },
} satisfies Record<string, ResourceRef>;

/** True when the answer is a failure. */
export function failedList(answer: ListAnswer): answer is { error: string; notFound: boolean } {
  return "error" in answer;
}
