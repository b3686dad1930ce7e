// What the caches keep of each object: only the fields the pod and node views read. A pod as the API
// serves it is 5–20 KB of JSON (managedFields, volumes, env, probes); at 20,000 pods whole objects
// held hundreds of MB. The strings are the parsed ones, shared, not copied.
import type { ConditionJson, ContainerStateJson, ContainerStatusJson, NodeJson, ObjectMetaJson, PodJson } from "./pod-json.js";

type Raw = Record<string, any>;

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === "boolean" ? value : undefined);
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter((v): v is Raw => v !== null && typeof v === "object") : []);

/** Metadata: identity, ownership, deletion, and the resourceVersion a watch resumes from. */
export function slimMeta(meta: Raw | undefined): ObjectMetaJson & { resourceVersion?: string } {
  const m = meta ?? {};
  const owners = list(m.ownerReferences).map((o) => ({ kind: str(o.kind) ?? "", name: str(o.name) ?? "", ...(o.controller === true ? { controller: true } : {}) }));
  const finalizers = Array.isArray(m.finalizers) ? m.finalizers.filter((f: unknown): f is string => typeof f === "string") : [];
  return {
    name: str(m.name), namespace: str(m.namespace), uid: str(m.uid), resourceVersion: str(m.resourceVersion),
    creationTimestamp: str(m.creationTimestamp), deletionTimestamp: str(m.deletionTimestamp),
    ...(owners.length > 0 ? { ownerReferences: owners } : {}),
    ...(finalizers.length > 0 ? { finalizers } : {}),
  };
}

function slimCondition(c: Raw): ConditionJson {
  return { type: str(c.type) ?? "", status: str(c.status) ?? "", reason: str(c.reason), message: str(c.message), lastTransitionTime: str(c.lastTransitionTime) };
}

function slimState(state: unknown): ContainerStateJson | null {
  if (state === null || typeof state !== "object") return null;
  const s = state as Raw;
  const out: ContainerStateJson = {};
  if (s.waiting && typeof s.waiting === "object") out.waiting = { reason: str(s.waiting.reason), message: str(s.waiting.message) };
  if (s.running && typeof s.running === "object") out.running = { startedAt: str(s.running.startedAt) };
  if (s.terminated && typeof s.terminated === "object") {
    out.terminated = { reason: str(s.terminated.reason), exitCode: num(s.terminated.exitCode), signal: num(s.terminated.signal) };
  }
  return out;
}

function slimContainerStatus(c: Raw): ContainerStatusJson {
  return {
    name: str(c.name) ?? "", image: str(c.image), ready: bool(c.ready), started: bool(c.started), restartCount: num(c.restartCount),
    state: slimState(c.state), lastState: slimState(c.lastState),
  };
}

/** A pod reduced to what podView() reads. */
export function slimPod(pod: Raw): PodJson {
  const spec = (pod.spec ?? {}) as Raw;
  const status = (pod.status ?? {}) as Raw;
  return {
    metadata: slimMeta(pod.metadata),
    spec: {
      nodeName: str(spec.nodeName),
      initContainers: list(spec.initContainers).map((c) => ({ name: str(c.name) ?? "", image: str(c.image), restartPolicy: str(c.restartPolicy) })),
      containers: list(spec.containers).map((c) => ({ name: str(c.name) ?? "", image: str(c.image) })),
    },
    status: {
      phase: str(status.phase), reason: str(status.reason), message: str(status.message), startTime: str(status.startTime),
      // kubectl's STATUS reads a condition's type, status and reason; its message and time are not read.
      conditions: list(status.conditions).map((c) => ({ type: str(c.type) ?? "", status: str(c.status) ?? "", reason: str(c.reason) })),
      initContainerStatuses: list(status.initContainerStatuses).map(slimContainerStatus),
      containerStatuses: list(status.containerStatuses).map(slimContainerStatus),
    },
  };
}

/** A node reduced to what nodeView() reads: its name and its Ready condition. */
export function slimNode(node: Raw): NodeJson {
  const ready = list(node.status?.conditions).filter((c) => c.type === "Ready").map(slimCondition);
  return { metadata: slimMeta(node.metadata), status: { conditions: ready } };
}
