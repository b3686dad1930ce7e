// The simulated API server's storage seam: the node model writes objects here, the HTTPS server
// serves them (list, watch, delete). Objects are plain JSON shaped as a real API server returns them.

/** Resources the simulator stores, by their plural REST name. */
export type ResourceName =
  | "namespaces" | "nodes" | "pods" | "events" | "persistentvolumeclaims" | "poddisruptionbudgets"
  | "deployments" | "statefulsets" | "replicasets" | "cronjobs" | "jobs" | "services";

/** A Kubernetes object: apiVersion, kind, metadata and whatever else the resource has. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** DELETE's options as the API receives them (query or DeleteOptions body). */
export interface DeleteRequest {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
}

/** Decides what a DELETE does to an object (graceful termination, immediate removal); the model registers one for pods. */
export type DeleteHandler = (object: KubeObject, request: DeleteRequest) => void;

/** The storage seam. Every write bumps a global resourceVersion and emits a watch event. */
export interface ObjectStore {
  /** Create or replace; sets uid, resourceVersion and creationTimestamp as a real server does. */
  put(resource: ResourceName, object: KubeObject): KubeObject;
  get(resource: ResourceName, namespace: string | null, name: string): KubeObject | undefined;
  list(resource: ResourceName, namespace: string | null): { items: KubeObject[]; resourceVersion: string };
  /**
   * The stored objects themselves, in list order, NOT copies: for the server's paging, which presents
   * only the page it sends, each item through `present` when given (a time warp, say).
   */
  listShared(resource: ResourceName, namespace: string | null): { items: readonly KubeObject[]; resourceVersion: string; present?: (object: KubeObject) => KubeObject };
  /** Remove at once (emits DELETED). */
  remove(resource: ResourceName, namespace: string | null, name: string): KubeObject | undefined;
  /** What the API's DELETE calls: the registered handler, or removal at once. */
  requestDelete(resource: ResourceName, namespace: string | null, name: string, request: DeleteRequest): KubeObject | undefined;
  onDelete(resource: ResourceName, handler: DeleteHandler): void;
  /** Events after `sinceResourceVersion`; throws a StoreGoneError (HTTP 410) when that version is too old. */
  watch(resource: ResourceName, namespace: string | null, sinceResourceVersion: string | null, listener: (event: WatchEvent) => void): () => void;
  currentResourceVersion(): string;
}
