// The delete-pods remedy against the simulator's API server with the real client-node.
import { afterEach, describe, expect, it } from "vitest";
import type { PodDeletion } from "../../src/core/types.js";
import { createDeletePods } from "../../src/actions/delete-pods.js";
import type { DeleteRequest, KubeObject } from "../../src/sim/kube/store-types.js";
import * as pods from "./fixtures/pods.js";
import { startSimApi, type SimApi } from "./helpers/sim-api.js";

let sim: SimApi | null = null;
afterEach(async () => {
  await sim?.cleanup();
  sim = null;
});

const deletion = (pod: { metadata: { name: string; uid: string } }, force = false): PodDeletion =>
  ({ namespace: "songnodes", name: pod.metadata.name, uid: pod.metadata.uid, force, why: "test" });

async function setUp(list: object[]) {
  sim = await startSimApi({ pods: list });
  const requests: { name: string; request: DeleteRequest }[] = [];
  // Record what the API received, and remove at once as kubelet does for grace 0.
  sim.store.onDelete("pods", (object, request) => {
    requests.push({ name: object.metadata.name, request });
    sim!.store.remove("pods", object.metadata.namespace ?? null, object.metadata.name);
  });
  const action = createDeletePods({ kube: sim.client, namespace: "songnodes" });
  return { sim, action, requests };
}

const run = (action: ReturnType<typeof createDeletePods>, list: PodDeletion[]) =>
  action.run({ kind: "delete-pods", pods: list, why: "test" }, AbortSignal.timeout(10_000));

describe("delete-pods", () => {
  it("a pod Terminating past the limit on a Ready node is force-deleted with grace period 0", async () => {
    const { sim, action, requests } = await setUp([pods.terminating]);
    const report = await run(action, [deletion(pods.terminating, true)]);
    expect(report).toEqual({ ok: true, touched: ["songnodes/redis-6b8f9c7d5-old01"], detail: "1 of 1 pods deleted: redis-6b8f9c7d5-old01: force-deleted (grace period 0)" });
    expect(requests).toEqual([{ name: "redis-6b8f9c7d5-old01", request: { gracePeriodSeconds: 0, propagationPolicy: "Background" } }]);
    expect(sim.store.get("pods", "songnodes", "redis-6b8f9c7d5-old01")).toBeUndefined();
  });

  it("a plain delete leaves the grace period to the pod", async () => {
    const { action, requests } = await setUp([pods.shutdownFailed]);
    expect((await run(action, [deletion(pods.shutdownFailed)])).ok).toBe(true);
    expect(requests[0]?.request.gracePeriodSeconds).toBeUndefined();
  });

  it("a Job-owned pod is refused even when asked, and the others are still deleted", async () => {
    const { sim, action, requests } = await setUp([pods.jobCompleted, pods.containersUnknown]);
    const report = await run(action, [deletion(pods.jobCompleted, true), deletion(pods.containersUnknown)]);
    expect(report.ok).toBe(false);
    expect(report.touched).toEqual(["songnodes/rabbitmq-0"]);
    expect(report.detail).toContain("postgres-backup-29391840-k8s7d: owned by Job postgres-backup-29391840; its history belongs to the Job");
    expect(requests.map((r) => r.name)).toEqual(["rabbitmq-0"]);
    expect(sim.store.get("pods", "songnodes", pods.jobCompleted.metadata.name)).toBeDefined();
  });

  it("a Job-owned pod already Terminating is force-deleted: its deletion was already asked for", async () => {
    const stuck = { ...structuredClone(pods.jobCompleted), metadata: { ...structuredClone(pods.jobCompleted.metadata), deletionTimestamp: "2025-11-13T09:00:00Z", deletionGracePeriodSeconds: 30 } };
    const { action, requests } = await setUp([stuck]);
    const report = await run(action, [deletion(stuck, true)]);
    expect(report).toMatchObject({ ok: true, touched: ["songnodes/postgres-backup-29391840-k8s7d"] });
    expect(requests).toEqual([expect.objectContaining({ name: "postgres-backup-29391840-k8s7d", request: expect.objectContaining({ gracePeriodSeconds: 0 }) })]);
  });

  it("a pod recreated under the same name (new uid) is never hit", async () => {
    const { sim, action, requests } = await setUp([]);
    sim.store.put("pods", { ...structuredClone(pods.containersUnknown), metadata: { ...structuredClone(pods.containersUnknown.metadata), uid: "uid-of-the-new-rabbitmq-0" } } as unknown as KubeObject);
    const report = await run(action, [deletion(pods.containersUnknown)]);
    expect(report).toMatchObject({ ok: true, touched: [] });
    expect(report.detail).toContain("already replaced by a new pod of the same name");
    expect(requests).toEqual([]);
  });

  it("a pod already gone counts as done", async () => {
    const { action } = await setUp([]);
    expect(await run(action, [deletion(pods.nodeLost, true)])).toMatchObject({ ok: true, touched: [], detail: expect.stringContaining("already gone") });
  });

  it("a pod outside the watchdog's namespace is refused", async () => {
    const { action, requests } = await setUp([pods.running]);
    const report = await run(action, [{ ...deletion(pods.running), namespace: "kube-system" }]);
    expect(report).toMatchObject({ ok: false, touched: [] });
    expect(report.detail).toContain("outside namespace songnodes");
    expect(requests).toEqual([]);
  });

  it("an API server that is down is a failure per pod, not a throw", async () => {
    const { sim, action } = await setUp([pods.running]);
    await sim.server.stop();
    const report = await run(action, [deletion(pods.running)]);
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/redis-6b8f9c7d5-x2k4p: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
  });
});
