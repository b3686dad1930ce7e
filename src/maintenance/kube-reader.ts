// The real MaintenanceKube: client-node's typed APIs built from the daemon's kubeconfig, each call
// with the client's timeout. Lists are read whole (a daily check, not the loop's watch caches).
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeClient } from "../kube/client.js";
import { describeKubeError } from "../kube/kube-error.js";
import type { NodeJson, PodJson } from "../kube/pod-json.js";
import type { ApiObject, MaintenanceKube, ReadFailure } from "./ports.js";

/** Build the reader over the daemon's shared client. */
export function createKubeReader(client: KubeClient): MaintenanceKube {
  const apis = new WeakMap<object, { batch: BatchV1Api; custom: CustomObjectsApi }>();
  const connect = () => {
    const connection = client.connect();
    let extra = apis.get(connection.config);
    if (!extra) apis.set(connection.config, (extra = { batch: connection.config.makeApiClient(BatchV1Api), custom: connection.config.makeApiClient(CustomObjectsApi) }));
    return { core: connection.core as CoreV1Api, ...extra };
  };
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T | ReadFailure> => {
    try {
      return await call();
    } catch (error) {
      return { error: `${what}: ${describeKubeError(error)}` };
    }
  };
  const items = (list: { items?: unknown[] }) => (list.items ?? []) as ApiObject[];
  return {
    jobs: (namespace, signal) => attempt("list jobs", async () => items(await connect().batch.listNamespacedJob({ namespace }, client.callOptions(signal)))),
    cronJobs: (namespace, signal) => attempt("list cronjobs", async () => items(await connect().batch.listNamespacedCronJob({ namespace }, client.callOptions(signal)))),
    pods: (namespace, signal) => attempt("list pods", async () => items(await connect().core.listNamespacedPod({ namespace }, client.callOptions(signal))) as PodJson[]),
    pvcs: (namespace, signal) => attempt("list pvc", async () => items(await connect().core.listNamespacedPersistentVolumeClaim({ namespace }, client.callOptions(signal)))),
    nodes: (signal) => attempt("list nodes", async () => items(await connect().core.listNode({}, client.callOptions(signal))) as NodeJson[]),
    statsSummary: (node, signal) => attempt(`stats summary of ${node}`, async () => {
      const body: unknown = await connect().core.connectGetNodeProxyWithPath({ name: node, path: "stats/summary" }, client.callOptions(signal));
      return (typeof body === "string" ? JSON.parse(body) : body) as ApiObject;
    }),
    nodeMetrics: (signal) => attempt("metrics.k8s.io nodes", async () => items(await connect().custom.listClusterCustomObject({ group: "metrics.k8s.io", version: "v1beta1", plural: "nodes" }, client.callOptions(signal)))),
    podMetrics: (namespace, signal) => attempt("metrics.k8s.io pods", async () => items(await connect().custom.listNamespacedCustomObject({ group: "metrics.k8s.io", version: "v1beta1", namespace, plural: "pods" }, client.callOptions(signal)))),
  };
}
