// The parts of a Pod and a Node the daemon reads, as loose structural types. They accept both the raw
// JSON a watch stream delivers (timestamps as RFC 3339 strings) and client-node's deserialised V1Pod /
// V1Node (timestamps as Date), so a list and a watch event go through the same view functions.

/** A timestamp as the API server sends it (string) or as client-node deserialises it (Date). */
export type Timestamp = string | Date;

export interface ContainerStateJson {
  waiting?: { reason?: string; message?: string } | null;
  running?: { startedAt?: Timestamp } | null;
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number; finishedAt?: Timestamp } | null;
}

export interface ContainerStatusJson {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateJson | null;
  lastState?: ContainerStateJson | null;
}

export interface ConditionJson {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Timestamp;
}

export interface OwnerReferenceJson {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMetaJson {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: Timestamp;
  deletionTimestamp?: Timestamp;
  ownerReferences?: OwnerReferenceJson[];
  finalizers?: string[];
}

/** A Pod as the API server returns it, reduced to what podView() reads. */
export interface PodJson {
  metadata?: ObjectMetaJson;
  spec?: {
    nodeName?: string;
    initContainers?: { name: string; image?: string; restartPolicy?: string }[];
    containers?: { name: string; image?: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: Timestamp;
    conditions?: ConditionJson[];
    initContainerStatuses?: ContainerStatusJson[];
    containerStatuses?: ContainerStatusJson[];
  };
}

/** A Node as the API server returns it, reduced to what nodeView() reads. */
export interface NodeJson {
  metadata?: ObjectMetaJson;
  status?: { conditions?: ConditionJson[] };
}

/** Milliseconds since the epoch, or null when absent or unparseable. */
export function toEpochMs(value: Timestamp | undefined | null): number | null {
  if (value === undefined || value === null) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
