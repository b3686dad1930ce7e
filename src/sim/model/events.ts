// Kubernetes Events as kubelet and the controllers write them: a repeated event (same object,
// reason and message) bumps `count` and `lastTimestamp` instead of adding another, as the real
// event recorder's aggregation does.
import type { KubeObject, ObjectStore } from "../kube/store-types.js";
import type { Prng } from "./prng.js";
import { isoTime } from "./render-pod.js";

/** The object an event is about. */
export interface EventSubject {
  kind: string;
  name: string;
  namespace: string | null;
  uid: string;
}

/** Writes events into the store. */
export interface EventRecorder {
  record(subject: EventSubject, type: "Normal" | "Warning", reason: string, message: string, component?: string): void;
}

/** Create a recorder writing to `store` at node time `now()`. */
export function createEventRecorder(store: ObjectStore, prng: Prng, now: () => number, host: string): EventRecorder {
  const seen = new Map<string, string>();
  return {
    record(subject, type, reason, message, component = "kubelet") {
      const key = `${subject.uid}|${reason}|${message}`;
      const namespace = subject.namespace ?? "default";
      const at = isoTime(now());
      const existing = seen.has(key) ? store.get("events", namespace, seen.get(key) as string) : undefined;
      if (existing) {
        store.put("events", { ...existing, count: (existing.count as number) + 1, lastTimestamp: at });
        return;
      }
      const name = `${subject.name}.${prng.suffix(4)}${Math.floor(prng.next() * 0xffffffff).toString(16).padStart(8, "0")}`;
      seen.set(key, name);
      const event: KubeObject = {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: subject.kind === "Node" ? "v1" : subject.kind === "Pod" ? "v1" : "apps/v1",
          kind: subject.kind, name: subject.name, uid: subject.uid,
          ...(subject.namespace ? { namespace: subject.namespace } : {}),
        },
        reason,
        message,
        source: { component, ...(component === "kubelet" ? { host } : {}) },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
        type,
        reportingComponent: component,
        reportingInstance: component === "kubelet" ? host : "",
      };
      store.put("events", event);
    },
  };
}
