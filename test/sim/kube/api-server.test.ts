import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServerHandle } from "../../../src/sim/kube/api-server.js";
import { createObjectStore } from "../../../src/sim/kube/store.js";
import type { DeleteRequest, KubeObject, ObjectStore } from "../../../src/sim/kube/store-types.js";
import { call, openWatch } from "./https-client.js";
import { FIXTURE_NOW, PODS, seedSongNodes } from "./songnodes-fixture.js";

const TOKEN = "sim-token-1234";
const clock = { now: () => FIXTURE_NOW };
const POD_PATH = "/api/v1/namespaces/songnodes/pods";

let dir: string;
let store: ObjectStore;
let server: ApiServerHandle;
const deleteRequests: { name: string; request: DeleteRequest }[] = [];
const get = (path: string, token: string | null = TOKEN, headers?: Record<string, string>) => call(server.url, server.caCert, path, { token, headers });
const del = (path: string, body?: unknown) =>
  call(server.url, server.caCert, path, { method: "DELETE", token: TOKEN, body: body === undefined ? undefined : JSON.stringify(body) });
const scratchPod = (name: string, labels: Record<string, string> = {}, phase = "Running"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "scratch", labels },
  spec: { containers: [{ name: "main" }] },
  status: { phase },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-kube-api-"));
  store = createObjectStore(clock, { historyLimit: 50 });
  seedSongNodes(store);
  store.onDelete("pods", (object, request) => {
    deleteRequests.push({ name: object.metadata.name, request });
    store.remove("pods", object.metadata.namespace ?? null, object.metadata.name);
  });
  server = await startApiServer({ store, token: TOKEN, dir, clock, bookmarkIntervalMs: 100 });
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("authentication and errors", () => {
  it("refuses a request without the bearer token with a 401 Status", async () => {
    for (const token of [null, "wrong-token"]) {
      const res = await get(POD_PATH, token);
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Unauthorized", code: 401 });
    }
  });

  it("lets anyone read /version, /readyz, /livez and /healthz, as k3s does", async () => {
    expect((await get("/version", null)).json().gitVersion).toMatch(/^v1\.\d+\.\d+\+k3s\d$/);
    expect((await get("/readyz", null)).text).toBe("ok");
    expect((await get("/livez", null)).status).toBe(200);
    const verbose = await get("/healthz?verbose", null);
    expect(verbose.text).toContain("[+]etcd ok");
    expect(verbose.text).toContain("healthz check passed");
  });

  it("answers unknown paths 404, unsupported methods 405 and bad selectors 400, each with a Status", async () => {
    expect((await get("/api/v1/secrets")).json()).toMatchObject({ kind: "Status", code: 404, reason: "NotFound" });
    expect((await get(`${POD_PATH}/no-such-pod`)).json()).toMatchObject({ code: 404, message: 'pods "no-such-pod" not found' });
    const post = await call(server.url, server.caCert, POD_PATH, { method: "POST", token: TOKEN, body: "{}" });
    expect(post.json()).toMatchObject({ code: 405, reason: "MethodNotAllowed" });
    const bad = await get(`${POD_PATH}?fieldSelector=spec.containers%3Dx`);
    expect(bad.json()).toMatchObject({ code: 400, reason: "BadRequest", message: "field label not supported: spec.containers" });
  });

  it("refuses a body larger than its limit with 413", async () => {
    const res = await call(server.url, server.caCert, `${POD_PATH}/postgres-0`, { method: "DELETE", token: TOKEN, body: Buffer.alloc(4 * 1024 * 1024, 32) });
    expect(res.status).toBe(413);
    expect(store.get("pods", "songnodes", "postgres-0")).toBeDefined();
  });
});

describe("discovery and reads", () => {
  it("serves legacy discovery with the short names kubectl resolves pvc and pdb by", async () => {
    const core = (await get("/api/v1")).json();
    expect(core.resources.find((r: any) => r.name === "persistentvolumeclaims").shortNames).toEqual(["pvc"]);
    const groups = (await get("/apis")).json().groups.map((g: any) => g.name);
    expect(groups).toEqual(["apps", "batch", "policy", "source.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"]);
    expect((await get("/apis/policy/v1")).json().resources[0]).toMatchObject({ name: "poddisruptionbudgets", shortNames: ["pdb"], namespaced: true });
  });

  it("lists pods by status.phase as `kubectl get pods --field-selector=status.phase=Unknown` does", async () => {
    const list = (await get(`${POD_PATH}?fieldSelector=status.phase%3DUnknown`)).json();
    expect(list.kind).toBe("PodList");
    expect(list.items.map((p: any) => p.metadata.name)).toEqual([PODS.unknown.metadata.name]);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it("pages a list with limit and continue", async () => {
    const first = (await get(`${POD_PATH}?limit=3`)).json();
    expect(first.items).toHaveLength(3);
    expect(first.metadata.remainingItemCount).toBeGreaterThan(0);
    const second = (await get(`${POD_PATH}?limit=100&continue=${first.metadata.continue}`)).json();
    const names = [...first.items, ...second.items].map((p: any) => p.metadata.name);
    expect(names).toEqual(store.list("pods", "songnodes").items.map((p) => p.metadata.name));
    expect(second.metadata.continue).toBeUndefined();
  });

  it("answers a Table when kubectl asks for server-side printing", async () => {
    const table = (await get(POD_PATH, TOKEN, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" })).json();
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Ready", "Status", "Restarts", "Age"]);
    const row = table.rows.find((r: any) => r.cells[0] === PODS.terminating.metadata.name);
    expect(row.cells[2]).toBe("Terminating");
    expect(row.object.kind).toBe("PartialObjectMetadata");
  });

  it("works with @kubernetes/client-node through the written kubeconfig", async () => {
    const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    expect(kc.getCurrentContext()).toBe("songnodes-sim");
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "songnodes", fieldSelector: "status.phase=Failed" });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual([PODS.failed.metadata.name]);
  });
});

describe("watches", () => {
  it("resumes from a resourceVersion with the changes made after it, then streams live", async () => {
    store.put("pods", scratchPod("w-before"));
    const mark = store.currentResourceVersion();
    store.put("pods", scratchPod("w-after"));
    store.remove("pods", "scratch", "w-before");
    const watch = await openWatch(server.url, server.caCert, `/api/v1/namespaces/scratch/pods?watch=1&resourceVersion=${mark}`, TOKEN);
    await watch.waitFor(2);
    store.put("pods", scratchPod("w-live"));
    await watch.waitFor(3);
    watch.close();
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED w-after", "DELETED w-before", "ADDED w-live"]);
    store.remove("pods", "scratch", "w-after");
    store.remove("pods", "scratch", "w-live");
  });

  it("starts with an ADDED for every matching object when no resourceVersion is given", async () => {
    const watch = await openWatch(server.url, server.caCert, `${POD_PATH}?watch=true&fieldSelector=status.phase%3DRunning`, TOKEN);
    await watch.waitFor(3);
    watch.close();
    expect(watch.events.every((e) => e.type === "ADDED" && e.object.status.phase === "Running")).toBe(true);
  });

  it("sends 410 Expired in an ERROR event when the resourceVersion is older than the history, then ends", async () => {
    for (let i = 0; i < 60; i++) store.put("pods", scratchPod("churn", {}, i % 2 ? "Running" : "Pending"));
    const watch = await openWatch(server.url, server.caCert, `${POD_PATH}?watch=1&resourceVersion=1`, TOKEN);
    await watch.ended;
    expect(watch.status).toBe(200);
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    expect(watch.events[0]!.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    store.remove("pods", "scratch", "churn");
  });

  it("ends after timeoutSeconds and sends bookmarks when asked", async () => {
    const watch = await openWatch(server.url, server.caCert, `${POD_PATH}?watch=1&resourceVersion=${store.currentResourceVersion()}&timeoutSeconds=1&allowWatchBookmarks=true`, TOKEN);
    await watch.ended;
    const bookmarks = watch.events.filter((e) => e.type === "BOOKMARK");
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(bookmarks[0]!.object).toMatchObject({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: store.currentResourceVersion() } });
  });

  it("reports a pod that stops matching the field selector as DELETED", async () => {
    store.put("pods", scratchPod("flip", {}, "Unknown"));
    const watch = await openWatch(server.url, server.caCert, "/api/v1/namespaces/scratch/pods?watch=1&fieldSelector=status.phase%3DUnknown", TOKEN);
    await watch.waitFor(1);
    store.put("pods", scratchPod("flip", {}, "Running"));
    await watch.waitFor(2);
    watch.close();
    expect(watch.events.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
    store.remove("pods", "scratch", "flip");
  });
});

describe("deletes", () => {
  it("refuses with 409 Conflict when preconditions.uid names a pod since recreated, and deletes on a match", async () => {
    const created = store.put("pods", scratchPod("recreated"));
    const conflict = await del("/api/v1/namespaces/scratch/pods/recreated", { preconditions: { uid: "uid-of-the-old-pod" } });
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toMatchObject({ reason: "Conflict", message: `Precondition failed: UID in precondition: uid-of-the-old-pod, UID in object meta: ${created.metadata.uid}` });
    expect(store.get("pods", "scratch", "recreated")).toBeDefined();
    const ok = await del("/api/v1/namespaces/scratch/pods/recreated", { preconditions: { uid: created.metadata.uid }, gracePeriodSeconds: 0, propagationPolicy: "Background" });
    expect(ok.status).toBe(200);
    expect(store.get("pods", "scratch", "recreated")).toBeUndefined();
    expect(deleteRequests.at(-1)).toEqual({ name: "recreated", request: { gracePeriodSeconds: 0, propagationPolicy: "Background" } });
  });

  it("takes gracePeriodSeconds from the query and rejects invalid options with 422 and malformed bodies with 400", async () => {
    store.put("pods", scratchPod("graceful"));
    expect((await del("/api/v1/namespaces/scratch/pods/graceful", { propagationPolicy: "Sideways" })).json()).toMatchObject({ code: 422, reason: "Invalid" });
    const malformed = await call(server.url, server.caCert, "/api/v1/namespaces/scratch/pods/graceful", { method: "DELETE", token: TOKEN, body: "{not json" });
    expect(malformed.json()).toMatchObject({ code: 400, reason: "BadRequest" });
    expect((await del("/api/v1/namespaces/scratch/pods/graceful?gracePeriodSeconds=30")).status).toBe(200);
    expect(deleteRequests.at(-1)).toEqual({ name: "graceful", request: { gracePeriodSeconds: 30 } });
  });

  it("deletes a collection chosen by label selector and leaves the rest", async () => {
    store.put("pods", scratchPod("a1", { app: "scraper" }));
    store.put("pods", scratchPod("a2", { app: "scraper" }));
    store.put("pods", scratchPod("keep", { app: "postgres" }));
    const res = await del("/api/v1/namespaces/scratch/pods?labelSelector=app%3Dscraper");
    expect(res.json().items.map((p: any) => p.metadata.name)).toEqual(["a1", "a2"]);
    expect(store.list("pods", "scratch").items.map((p) => p.metadata.name)).toEqual(["keep"]);
    store.remove("pods", "scratch", "keep");
  });
});
