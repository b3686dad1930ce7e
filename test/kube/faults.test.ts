// Bad answers from outside become unknown (or, for a refused /readyz, bad) with a clear reason within
// the request timeout; nothing throws and nothing hangs.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDeletePods } from "../../src/actions/delete-pods.js";
import { createKubeClient } from "../../src/kube/client.js";
import { createApiReadyProbe } from "../../src/probes/api-ready.js";
import { createPodsProbe } from "../../src/probes/pods.js";
import type { Probe } from "../../src/ports.js";
import { writeKubeconfig } from "../../src/sim/kube/kubeconfig.js";
import * as pods from "./fixtures/pods.js";
import { eventually, startSimApi, type SimApi } from "./helpers/sim-api.js";

const clock = { now: () => Date.now() };
const TIMEOUT_MS = 500;
const signal = () => AbortSignal.timeout(5_000);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(): Promise<SimApi> {
  const s = await startSimApi({ pods: [pods.running], requestTimeoutMs: TIMEOUT_MS });
  cleanups.push(() => s.cleanup());
  return s;
}

function podsProbe(client: SimApi["client"]) {
  const probe = createPodsProbe({ client, clock, namespace: "songnodes", localRegistryPrefix: "localhost:5000/", cache: { backoff: { initialMs: 50, maxMs: 200 }, graceMs: 0 } });
  cleanups.push(async () => probe.close!());
  return probe;
}

const readUntil = <D>(probe: Probe<D>, match: (reason: string) => boolean, what: string) =>
  eventually(async () => {
    const reading = await probe.read(signal());
    return match(reading.reason) ? reading : null;
  }, 10_000, what);

describe("API readiness probe", () => {
  it("answers ok, then bad with the failing check on HTTP 500, then bad when the port refuses", async () => {
    const s = await sim();
    const probe = createApiReadyProbe({ client: s.client });
    expect(await probe.read(signal())).toEqual({ status: "ok", reason: "API ready (/readyz 200)", detail: { httpStatus: 200 } });
    await s.server.setMode("error500");
    expect(await probe.read(signal())).toMatchObject({ status: "bad", reason: "API not ready: /readyz answered HTTP 500, [-]etcd failed: reason withheld" });
    await s.server.stop();
    const refused = await probe.read(signal());
    expect(refused.status).toBe("bad");
    expect(refused.reason).toMatch(/^API not answering: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it("a server that accepts and never answers is unknown after the timeout", async () => {
    const s = await sim();
    await s.server.setMode("hang");
    expect(await createApiReadyProbe({ client: s.client }).read(signal())).toEqual({ status: "unknown", reason: "could not reach the API: no answer within 0.5 s", detail: { httpStatus: null } });
  });

  it("a missing kubeconfig (k3s has not written it yet) is unknown", async () => {
    const client = createKubeClient({ kubeconfigPath: "/nonexistent/k3s.yaml", requestTimeoutMs: TIMEOUT_MS });
    expect(await createApiReadyProbe({ client }).read(signal())).toMatchObject({ status: "unknown", reason: "could not reach the API: kubeconfig /nonexistent/k3s.yaml unreadable: ENOENT" });
    expect(await podsProbe(client).read(signal())).toMatchObject({ status: "unknown" });
  });
});

describe("pods probe against a broken API server", () => {
  it("HTTP 500 on the list is unknown with the server's message", async () => {
    const s = await sim();
    await s.server.setMode("error500");
    const reading = await readUntil(podsProbe(s.client), (r) => r.includes("list failed"), "the failed list");
    expect(reading).toMatchObject({ status: "unknown", detail: null });
    expect(reading.reason).toBe("pod list of songnodes not synced yet: list failed: HTTP 500 InternalError: Internal error occurred: etcdserver: request timed out");
  });

  it("malformed JSON is unknown, not a crash", async () => {
    const s = await sim();
    await s.server.setMode("garbage");
    const reading = await readUntil(podsProbe(s.client), (r) => r.includes("list failed"), "the failed list");
    expect(reading.status).toBe("unknown");
    expect(reading.reason).toMatch(/malformed JSON/);
  });

  it("a list that never answers is unknown after the request timeout", async () => {
    const s = await sim();
    await s.server.setMode("hang");
    const reading = await readUntil(podsProbe(s.client), (r) => r.includes("list failed"), "the timed-out list");
    expect(reading.reason).toBe("pod list of songnodes not synced yet: list failed: no answer within 0.5 s");
  });

  it("a watch that reconnects to a server that never answers goes stale instead of waiting forever", async () => {
    const s = await sim();
    const probe = podsProbe(s.client);
    await readUntil(probe, (r) => r.startsWith("all 1 pods"), "the first list");
    await s.server.stop();
    await s.server.setMode("hang");
    await s.server.start();
    const reading = await readUntil(probe, (r) => r.includes("watch got no answer"), "the watch timeout");
    expect(reading.status).toBe("unknown");
    expect(reading.reason).toMatch(/^pod list of songnodes is stale: watch disconnected since \d{4}-\d\d-\d\dT[\d:.]+Z \(watch got no answer within 0\.5 s\)$/);
  });
});

describe("a bare HTTPS server that accepts and never answers", () => {
  async function silentServer() {
    const dir = await mkdtemp(join(tmpdir(), "silent-api-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(dir, "key.pem"),
      "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=silent", "-addext", "subjectAltName=IP:127.0.0.1"], { timeout: 20_000, stdio: "ignore" });
    const cert = await readFile(join(dir, "cert.pem"), "utf8");
    const sockets = new Set<Socket>();
    const server: Server = createServer({ cert, key: await readFile(join(dir, "key.pem"), "utf8") }, () => { /* never answer */ });
    server.on("secureConnection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const kubeconfigPath = join(dir, "kubeconfig.yaml");
    await writeKubeconfig(kubeconfigPath, `https://127.0.0.1:${port}`, cert, "t");
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    });
    return createKubeClient({ kubeconfigPath, requestTimeoutMs: TIMEOUT_MS });
  }

  it("readyz, the pod list and a delete all give up after the timeout with a clear reason", async () => {
    const client = await silentServer();
    expect((await createApiReadyProbe({ client }).read(signal())).reason).toBe("could not reach the API: no answer within 0.5 s");
    const reading = await readUntil(podsProbe(client), (r) => r.includes("list failed"), "the timed-out list");
    expect(reading).toMatchObject({ status: "unknown", reason: "pod list of songnodes not synced yet: list failed: no answer within 0.5 s" });
    const report = await createDeletePods({ kube: client, namespace: "songnodes" })
      .run({ kind: "delete-pods", why: "test", pods: [{ namespace: "songnodes", name: "x", uid: "u", force: true, why: "test" }] }, signal());
    expect(report).toEqual({ ok: false, touched: [], detail: "0 of 1 pods deleted, 1 not: x: no answer within 0.5 s" });
  });
});



