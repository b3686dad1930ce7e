// The built daemon against an API port that answers 404 to everything (a proxy, another server on
// the port): the API probe reads unknown ("looking in the wrong place"), and k3s is never restarted
// for it, even long past the API's budget.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer } from "../../src/sim/kube/api-server.js";
import { createObjectStore } from "../../src/sim/kube/store.js";
import { createFakeUnit, type FakeUnit } from "../systemd/fake-unit.js";
import { ask, spawnDaemon, startFakeHost, stopDaemon, until, type BuiltDaemon, type FakeHost } from "./built-daemon.js";

let host: FakeHost;
let unit: FakeUnit;
let daemon: BuiltDaemon | null = null;
let wrongPlace: Server;
let containerd: NetServer;
let kubeconfig: string;

beforeAll(async () => {
  unit = createFakeUnit("k3s.service");
  host = await startFakeHost([unit]);
  // The simulator's API server writes a kubeconfig and its TLS material; then another server takes
  // its port with the same certificate and answers 404 to every path, /readyz included.
  const api = await startApiServer({ store: createObjectStore({ now: () => Date.now() }), token: "test-token", dir: host.dir });
  kubeconfig = api.kubeconfigPath;
  const port = api.port;
  await api.stop();
  wrongPlace = createHttpsServer({ key: readFileSync(join(host.dir, "server.key")), cert: readFileSync(join(host.dir, "server.crt")) }, (_request, response) => {
    response.writeHead(404, { "content-type": "text/plain" }).end("404 page not found\n");
  });
  await new Promise<void>((resolve) => wrongPlace.listen(port, "127.0.0.1", resolve));
  containerd = createNetServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => containerd.listen(join(host.dir, "containerd.sock"), resolve));
}, 60_000);

afterAll(async () => {
  if (daemon) await stopDaemon(daemon);
  wrongPlace?.close();
  containerd?.close();
  await host?.close();
});

describe("an API port that answers 404", () => {
  it("reads unknown with the status it got, and k3s is never restarted for it, even past the API's budget", async () => {
    const config = join(host.dir, "config.yaml");
    const base = host.baseConfig
      .replace(/kubeconfig: [^,]+,/, `kubeconfig: ${kubeconfig},`)
      .replace(/containerdSocket: [^,]+,/, `containerdSocket: ${join(host.dir, "containerd.sock")},`);
    // Budgets as short as the ranges allow; a fresh journal holds no budget, so a bad reading would
    // restart k3s within seconds.
    writeFileSync(config, `${base}\ntiming: { tick: 1s, probeTimeout: 2s, apiBudget: 1s, k3sStartBudget: 1s }\njournal: { holdBudgetsWhenForgotten: false }\n`);
    daemon = await spawnDaemon({ config, stateDir: join(host.dir, "state"), runtimeDir: join(host.dir, "run") });
    const api = await until("the API probe's reading", async () => {
      const probe = (await ask(daemon!.statusSock, "/v1/status")).body.probes?.api as { status: string; reason: string } | undefined;
      return probe && probe.reason !== "not looked yet" ? probe : undefined;
    }, 30_000);
    // Ten ticks, far past the API's 1 s budget: no remedy.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(unit.calls).toEqual([]);
    expect(api).toMatchObject({ status: "unknown", reason: "not the API's readiness answer: /readyz answered HTTP 404: 404 page not found" });
    const actions = (await ask(daemon.statusSock, "/v1/history?kind=action&limit=10")).body.entries;
    expect(actions).toEqual([]);
    expect((await ask(daemon.statusSock, "/v1/status")).body.probes.api.status).toBe("unknown");
  }, 90_000);
});
