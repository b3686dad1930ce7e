import { describe, expect, it } from "vitest";
import { createObjectStore, StoreGoneError } from "../../../src/sim/kube/store.js";
import type { KubeObject, WatchEvent } from "../../../src/sim/kube/store-types.js";

const clock = { now: () => Date.parse("2025-11-13T10:00:00.750Z") };

const pod = (name: string, phase = "Running", namespace = "songnodes"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace },
  status: { phase },
});

describe("the simulated API server's object store", () => {
  it("stamps uid, a seconds-precision creationTimestamp and a rising resourceVersion as a real server does", () => {
    const store = createObjectStore(clock);
    const a = store.put("pods", pod("postgres-0"));
    const b = store.put("pods", pod("redis-0"));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toBe("2025-11-13T10:00:00Z");
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(store.currentResourceVersion()).toBe(b.metadata.resourceVersion);
  });

  it("keeps uid and creationTimestamp when an object is replaced, and reports MODIFIED", () => {
    const store = createObjectStore(clock);
    const first = store.put("pods", pod("postgres-0", "Pending"));
    const events: WatchEvent[] = [];
    store.watch("pods", "songnodes", null, (e) => events.push(e));
    const second = store.put("pods", pod("postgres-0", "Running"));
    expect(second.metadata.uid).toBe(first.metadata.uid);
    expect(second.metadata.creationTimestamp).toBe(first.metadata.creationTimestamp);
    expect(events.map((e) => [e.type, e.object.status])).toEqual([["MODIFIED", { phase: "Running" }]]);
  });

  it("hands out copies, so a caller's mutation does not change what is stored", () => {
    const store = createObjectStore(clock);
    const put = store.put("pods", pod("postgres-0"));
    put.metadata.name = "mutated";
    store.get("pods", "songnodes", "postgres-0")!.metadata.labels = { x: "y" };
    expect(store.get("pods", "songnodes", "postgres-0")!.metadata.labels).toBeUndefined();
  });

  it("lists one namespace or all of them, and cluster-scoped objects under a null namespace", () => {
    const store = createObjectStore(clock);
    store.put("pods", pod("postgres-0"));
    store.put("pods", pod("coredns-1", "Running", "kube-system"));
    store.put("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "songnodes-node" } });
    expect(store.list("pods", "songnodes").items.map((p) => p.metadata.name)).toEqual(["postgres-0"]);
    expect(store.list("pods", null).items.map((p) => p.metadata.name)).toEqual(["coredns-1", "postgres-0"]);
    expect(store.get("nodes", null, "songnodes-node")?.metadata.name).toBe("songnodes-node");
  });

  it("resumes a watch from a resourceVersion with exactly the events after it", () => {
    const store = createObjectStore(clock);
    store.put("pods", pod("postgres-0"));
    const mark = store.currentResourceVersion();
    store.put("pods", pod("redis-0", "Unknown"));
    store.put("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "songnodes-node" } });
    store.remove("pods", "songnodes", "postgres-0");
    const seen: string[] = [];
    const stop = store.watch("pods", null, mark, (e) => seen.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`));
    store.put("pods", pod("rest-api-1"));
    stop();
    store.put("pods", pod("after-stop"));
    expect(seen).toEqual(["ADDED redis-0 2", "DELETED postgres-0 4", "ADDED rest-api-1 5"]);
  });

  it("answers a watch from a version older than its history with 410 'too old resource version'", () => {
    const store = createObjectStore(clock, { historyLimit: 3 });
    for (let i = 0; i < 6; i++) store.put("pods", pod(`p-${i}`));
    // Events 4..6 are kept; watching from 3 still works, from 2 it cannot.
    expect(() => store.watch("pods", null, "3", () => {})()).not.toThrow();
    expect(() => store.watch("pods", null, "2", () => {})).toThrow(StoreGoneError);
    expect(() => store.watch("pods", null, "2", () => {})).toThrow("too old resource version: 2 (4)");
  });

  it("passes a DELETE to the handler the model registered, and removes at once without one", () => {
    const store = createObjectStore(clock);
    store.put("pods", pod("postgres-0"));
    store.put("persistentvolumeclaims", { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "redis-pvc", namespace: "songnodes" } });
    const requests: unknown[] = [];
    store.onDelete("pods", (object, request) => {
      requests.push(request);
      store.put("pods", { ...object, metadata: { ...object.metadata, deletionTimestamp: "2025-11-13T10:00:00Z", deletionGracePeriodSeconds: 30 } });
    });
    const terminating = store.requestDelete("pods", "songnodes", "postgres-0", { gracePeriodSeconds: 30 });
    expect(terminating?.metadata.deletionTimestamp).toBe("2025-11-13T10:00:00Z");
    expect(requests).toEqual([{ gracePeriodSeconds: 30 }]);
    expect(store.get("pods", "songnodes", "postgres-0")).toBeDefined();
    expect(store.requestDelete("persistentvolumeclaims", "songnodes", "redis-pvc", {})?.metadata.name).toBe("redis-pvc");
    expect(store.get("persistentvolumeclaims", "songnodes", "redis-pvc")).toBeUndefined();
    expect(store.requestDelete("pods", "songnodes", "no-such-pod", {})).toBeUndefined();
  });
});
