// The node model: pods shaped as the API server returns them, controllers, grace periods, reboots,
// pull back-off, the registry. Run on the model's own clock, no daemon involved.
import { describe, expect, test } from "vitest";
import { createSongNodesNode, type SongNodesNode } from "../../../src/sim/model/songnodes-node.js";
import type { KubeObject } from "../../../src/sim/kube/store-types.js";
import { backoffMs } from "../../../src/sim/model/render-pod.js";

const START = Date.parse("2025-11-14T10:30:00Z");
const MIN = 60_000;

function healthyNode(): SongNodesNode {
  return createSongNodesNode({ start: START, seed: 3, initial: "healthy" });
}
const pods = (node: SongNodesNode) => node.store.list("pods", "songnodes").items;
const pod = (node: SongNodesNode, prefix: string) => pods(node).find((p) => p.metadata.name.startsWith(prefix)) as KubeObject;
const status = (p: KubeObject) => p.status as { phase: string; reason?: string; containerStatuses: { state: Record<string, { reason?: string; exitCode?: number; message?: string }> }[] };

describe("the SongNodes node model", () => {
  test("a healthy node runs every workload of the chart, with owners as the API server shows them", () => {
    const node = healthyNode();
    expect(node.healthy()).toBe(true);
    const rest = pod(node, "rest-api-");
    expect(rest.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", controller: true });
    expect((rest.spec as { containers: { image: string }[] }).containers[0]?.image).toBe("localhost:5000/songnodes_rest-api:latest");
    expect(pod(node, "postgres-0").metadata.ownerReferences?.[0]).toMatchObject({ kind: "StatefulSet", name: "postgres", controller: true });
    expect(node.store.list("persistentvolumeclaims", "songnodes").items.map((i) => i.metadata.name)).toContain("postgres-storage-postgres-0");
    expect(node.store.list("poddisruptionbudgets", "songnodes").items.length).toBe(6);
    expect(node.store.list("cronjobs", "songnodes").items.length).toBe(4);
  });

  test("a graceful delete shows Terminating, the ReplicaSet replaces the pod under a new name at once", () => {
    const node = healthyNode();
    const old = pod(node, "rest-api-");
    node.store.requestDelete("pods", "songnodes", old.metadata.name, {});
    expect(node.store.get("pods", "songnodes", old.metadata.name)?.metadata).toMatchObject({ deletionGracePeriodSeconds: 30 });
    node.advance(START + 10_000);
    expect(node.store.get("pods", "songnodes", old.metadata.name)).toBeUndefined();
    const replacement = pod(node, "rest-api-");
    expect(replacement.metadata.name).not.toBe(old.metadata.name);
    expect(replacement.metadata.uid).not.toBe(old.metadata.uid);
  });

  test("a pod Terminating with a hung kubelet stays until a grace-0 force delete removes it at once", () => {
    const node = healthyNode();
    node.inject({ fault: "pods-stuck-terminating", workloads: ["nlp-processor"] });
    const stuck = pods(node).find((p) => p.metadata.name.startsWith("nlp-processor-") && p.metadata.deletionTimestamp) as KubeObject;
    node.advance(START + 10 * MIN);
    expect(node.store.get("pods", "songnodes", stuck.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
    node.store.requestDelete("pods", "songnodes", stuck.metadata.name, { gracePeriodSeconds: 0 });
    expect(node.store.get("pods", "songnodes", stuck.metadata.name)).toBeUndefined();
  });

  test("a deleted postgres-0 comes back under the same name with a new uid", () => {
    const node = healthyNode();
    const old = pod(node, "postgres-0");
    node.store.requestDelete("pods", "songnodes", "postgres-0", {});
    node.advance(START + 20_000);
    const again = pod(node, "postgres-0");
    expect(again.metadata.uid).not.toBe(old.metadata.uid);
  });

  test("after an unexpected reboot pods show containers terminated with reason Unknown, exit code 255, and the boot id changes", () => {
    const node = healthyNode();
    const before = (node.store.get("nodes", null, "songnodes-node")?.status as { nodeInfo: { bootID: string } }).nodeInfo.bootID;
    node.inject({ fault: "node-reboot", graceful: false, downFor: 30_000 });
    const terminated = status(pod(node, "frontend-")).containerStatuses[0]?.state.terminated;
    expect(terminated).toMatchObject({ reason: "Unknown", exitCode: 255 });
    expect(node.runtime.poweredOn()).toBe(false);
    node.advance(START + 15 * MIN);
    const after = (node.store.get("nodes", null, "songnodes-node")?.status as { nodeInfo: { bootID: string } }).nodeInfo.bootID;
    expect(after).not.toBe(before);
    expect(node.healthy()).toBe(true);
  });

  test("a node shutdown fails the pods with reason Terminated and the node-shutdown message", () => {
    const node = healthyNode();
    node.inject({ fault: "node-reboot", graceful: true, downFor: 30_000 });
    const failed = status(pod(node, "rest-api-"));
    expect(failed).toMatchObject({ phase: "Failed", reason: "Terminated" });
    expect((pod(node, "rest-api-").status as { message: string }).message).toBe("Pod was terminated in response to imminent node shutdown.");
  });

  test("with the registry down a rolled-out pod goes ErrImagePull then ImagePullBackOff, its back-off growing to 300 s", () => {
    const node = healthyNode();
    node.inject({ fault: "registry-down", fixedByRestart: true });
    node.store.requestDelete("pods", "songnodes", pod(node, "frontend-").metadata.name, {});
    const waits: string[] = [];
    const current = () => pods(node).find((p) => p.metadata.name.startsWith("frontend-") && !p.metadata.deletionTimestamp);
    for (let t = START; t <= START + 20 * MIN; t += 1_000) {
      node.advance(t);
      const replacement = current();
      const waiting = replacement ? status(replacement).containerStatuses[0]?.state.waiting : undefined;
      if (waiting?.reason && waits.at(-1) !== waiting.reason) waits.push(waiting.reason);
    }
    expect(waits.slice(0, 3)).toEqual(["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]);
    const backoff = status(current() as KubeObject).containerStatuses[0]?.state.waiting;
    expect(backoff?.message).toMatch(/dial tcp 127\.0\.0\.1:5000: connect: connection refused/);
    const events = node.store.list("events", "songnodes").items.filter((e) => e.reason === "BackOff" && String(e.message).includes("songnodes_frontend"));
    expect(events[0]).toMatchObject({ type: "Normal", involvedObject: { kind: "Pod" } });
    expect(events[0]?.count as number).toBeGreaterThan(3);
    // kubelet's back-off: 10 s doubling, capped at 300 s.
    expect([1, 2, 3, 5, 6, 9].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 160_000, 300_000, 300_000]);
  });

  test("a registry restart fixes it, or, when broken for good, it dies again", async () => {
    const fixable = healthyNode();
    fixable.inject({ fault: "registry-down", fixedByRestart: true });
    const restarted = fixable.registry.restart();
    fixable.advance(START + 10_000);
    await restarted;
    expect(fixable.registry.apiUp()).toBe(true);
    const broken = healthyNode();
    broken.inject({ fault: "registry-down", fixedByRestart: false });
    void broken.registry.restart();
    broken.advance(START + 20_000);
    expect(broken.registry.containerState()).toBe("exited");
  });

  test("a missing image fails with containerd's NotFound while the registry answers", () => {
    const node = healthyNode();
    node.inject({ fault: "image-missing", workload: "rest-api" });
    node.advance(START + 30_000);
    const replacement = pods(node).find((p) => p.metadata.name.startsWith("rest-api-") && !p.metadata.deletionTimestamp) as KubeObject;
    expect(status(replacement).containerStatuses[0]?.state.waiting?.message).toMatch(/code = NotFound/);
    expect(node.registry.apiUp()).toBe(true);
  });

  test("the node model is reproducible: the same seed names the same pods", () => {
    expect(pods(healthyNode()).map((p) => p.metadata.name)).toEqual(pods(healthyNode()).map((p) => p.metadata.name));
  });
});
