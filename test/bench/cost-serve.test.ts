// The served node's knobs for the cost benchmark: `pods` fills the namespace with Running, Ready
// pods that kubectl and the daemon's own pod interpreter see, and the API server counts requests
// by kind, readable on the control socket.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { PodJson } from "../../src/kube/pod-json.js";
import { podView } from "../../src/kube/pod-view.js";
import { interpretPods } from "../../src/probes/pods.js";
import { requestKind } from "../../src/sim/kube/api-server.js";
import { serveSimulatedNode, type ServedNode } from "../../src/sim/serve/serve-node.js";
import { askDaemon } from "../../src/status/client.js";

const tools = ["/usr/bin/kubectl", "/usr/bin/dbus-daemon"].filter((tool) => !existsSync(tool));
const PODS = 300;
let dir: string;
let served: ServedNode;

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("/usr/bin/kubectl", ["--kubeconfig", served.paths.kubeconfig, "--cache-dir", join(dir, "kcache"), ...args], { timeout: 30_000, env: { ...process.env, HOME: dir } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout));
  });
}

describe("request kinds at the simulated API server", () => {
  it.each([
    ["GET", "/readyz", "readyz"],
    ["GET", "/livez?verbose", "readyz"],
    ["GET", "/api/v1/namespaces/songnodes/pods", "list"],
    ["GET", "/api/v1/namespaces/songnodes/pods?watch=true&resourceVersion=12", "watch"],
    ["GET", "/api/v1/nodes?watch=1", "watch"],
    ["GET", "/api/v1/namespaces/songnodes/pods/postgres-0", "get"],
    ["GET", "/api/v1/namespaces/songnodes/pods/postgres-0?watch=true", "watch"],
    ["DELETE", "/api/v1/namespaces/songnodes/pods/postgres-0", "delete"],
    ["GET", "/version", "other"],
    ["GET", "/apis", "other"],
    ["POST", "/api/v1/namespaces/songnodes/pods", "other"],
  ] as const)("%s %s counts as %s", (method, url, kind) => {
    expect(requestKind(method, url)).toBe(kind);
  });
});

describe.skipIf(tools.length > 0)(`simulate --serve with pods: ${PODS}${tools.length ? ` (skipped: ${tools.join(", ")} missing)` : ""}`, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "songnodes-cost-serve-"));
    // Node time 02:30, between the hourly CronJobs, so no Job pod comes or goes during the test.
    served = await serveSimulatedNode({ outDir: join(dir, "node"), speed: 20, pods: PODS, startAt: Date.parse("2026-11-26T02:30:00Z") });
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`the namespace holds ${PODS} pods, every one Running and 1/1 Ready as kubectl shows them but a finished CronJob's`, async () => {
    const lines = (await kubectl("get", "pods", "-n", "songnodes", "--no-headers")).trim().split("\n");
    expect(lines).toHaveLength(PODS);
    // The hourly CronJobs keep their last Job's pod as history (Completed 0/1), depending on the hour.
    const finishedJobPods = lines.filter((line) => /\s0\/1\s+Completed\s/.test(line));
    expect(finishedJobPods.length).toBeLessThanOrEqual(4);
    expect(lines.filter((line) => /\s1\/1\s+Running\s/.test(line))).toHaveLength(PODS - finishedJobPods.length);
    expect(served.fillerPods).toBeGreaterThan(PODS - 20);
  });

  it("the daemon's pod interpreter judges the filled namespace healthy", () => {
    const config = parseConfig({}, "test");
    const items = served.node.store.list("pods", "songnodes").items as unknown as PodJson[];
    const reading = interpretPods(items.map((pod) => podView(pod, { localRegistryPrefix: "localhost:5000/" })), config.namespace);
    expect(reading.status).toBe("ok");
  });

  it("requests are counted by kind and GET /v1/node on the control socket shows the counts and the pod count", async () => {
    const before = served.apiRequests();
    await kubectl("get", "pods", "-n", "songnodes", "-o", "name");
    await kubectl("get", "--raw", "/readyz");
    const after = served.apiRequests();
    expect(after.list - before.list).toBeGreaterThanOrEqual(1);
    expect(after.readyz - before.readyz).toBe(1);
    expect(after.delete).toBe(before.delete);
    const answer = await askDaemon({ socketPath: served.paths.controlSocket, method: "GET", path: "/v1/node" });
    const body = answer.body as { pods: number; apiRequests: Record<string, number> };
    expect(body.pods).toBe(PODS);
    expect(body.apiRequests.readyz).toBe(after.readyz);
  });

  it("a pod count below the model's own adds no filler", async () => {
    const small = await serveSimulatedNode({ outDir: join(dir, "small"), speed: 20, pods: 3 });
    try {
      expect(small.fillerPods).toBe(0);
      expect(small.node.store.list("deployments", "songnodes").items.map((d) => d.metadata.name)).not.toContain("bench-filler");
    } finally {
      await small.stop();
    }
  }, 60_000);
});
