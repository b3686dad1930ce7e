// Kubernetes Events as kubelet and the controllers write them: a repeated event (same object,
// reason and message) bumps `count` and `lastTimestamp` instead of adding another, as the real
// event recorder's aggregation does. An event lives one hour after its last write, as under the
// API server's default --event-ttl=1h (which k3s keeps): a node that runs for a year does not keep
// a year of events.
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

/** kube-apiserver's --event-ttl default: an event's etcd lease, renewed by each write. */
export const EVENT_TTL_MS = 60 * 60_000;

/** Create a recorder writing to `store` at node time `now()`. */
export function createEventRecorder(store: ObjectStore, prng: Prng, now: () => number, host: string): EventRecorder {
  // By aggregation key, oldest last write first (a write moves its entry to the end).
  const seen = new Map<string, { name: string; namespace: string; writtenAt: number }>();
  const expire = (at: number): void => {
    for (const [key, event] of seen) {
      if (event.writtenAt > at - EVENT_TTL_MS) break;
      seen.delete(key);
      store.remove("events", event.namespace, event.name);
    }
  };
  return {
    record(subject, type, reason, message, component = "kubelet") {
      const key = `${subject.uid}|${reason}|${message}`;
      const namespace = subject.namespace ?? "default";
      const writtenAt = now();
      expire(writtenAt);
      const at = isoTime(writtenAt);
      const known = seen.get(key);
      const existing = known ? store.get("events", namespace, known.name) : undefined;
      if (known && existing) {
        seen.delete(key);
        seen.set(key, { ...known, writtenAt });
        store.put("events", { ...existing, count: (existing.count as number) + 1, lastTimestamp: at });
        return;
      }
      const name = `${subject.name}.${prng.suffix(4)}${Math.floor(prng.next() * 0xffffffff).toString(16).padStart(8, "0")}`;
      seen.delete(key);
      seen.set(key, { name, namespace, writtenAt });
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
