// The daemon's start-up and stop with injected ports: the real journal file, the real status
// socket, the real config loader.
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startDaemon } from "../../src/daemon/daemon.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import { fakeActions, fakeProbes } from "./fakes.js";
import { healthy, pod } from "../core/builders.js";

function dirs() {
  const root = mkdtempSync(join(tmpdir(), "swd-daemon-"));
  const config = join(root, "config.yaml");
  writeFileSync(config, "timing:\n  tick: 1s\n");
  return { root, config, state: join(root, "state"), run: join(root, "run") };
}

function get(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the daemon", () => {
  it("serves its status while it runs, reaches healthy, and stops cleanly, removing its sockets", async () => {
    const d = dirs();
    const probes = fakeProbes();
    const actions = fakeActions();
    const daemon = await startDaemon({
      configPath: d.config, stateDir: d.state, runtimeDir: d.run, env: {},
      ports: { probes: probes.probes, actions: actions.actions, runCommand: createRunCommand(), close: async () => {} },
    });
    if (typeof daemon === "number") throw new Error(`daemon exited ${daemon}`);
    await daemon.scheduler.nextIteration();
    const status = await get(daemon.server.statusPath, "/v1/status");
    expect(status.status).toBe(200);
    const body = JSON.parse(status.body);
    expect(body.probes.k3sUnit.status).toBe("ok");
    // the daemon publishes its own evaluation time, for monitoring and the benchmarks
    expect(body.lastIteration.decideMs).toBeGreaterThan(0);
    expect(body.lastIteration.durationMs).toBeGreaterThanOrEqual(body.lastIteration.decideMs);
    const metrics = await get(daemon.server.statusPath, "/metrics");
    expect(metrics.body).toMatch(/^songnodes_watchdog_decide_seconds \d/m);
    expect(metrics.body).toMatch(/^songnodes_watchdog_iteration_seconds \d/m);
    expect(existsSync(join(d.state, "journal.sqlite"))).toBe(true);
    const started = Date.now();
    expect(await daemon.stop("test")).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(daemon.server.statusPath)).toBe(false);
  });

  it("an invalid config exits 78 before touching anything", async () => {
    const d = dirs();
    writeFileSync(d.config, "budgets:\n  restartK3s:\n    max: lots\n");
    expect(await startDaemon({ configPath: d.config, stateDir: d.state, runtimeDir: d.run, env: {} })).toBe(78);
    expect(existsSync(d.state)).toBe(false);
  });

  it("wakes when a hold-off runs out instead of waiting for the next tick", async () => {
    const d = dirs();
    writeFileSync(d.config, "timing:\n  tick: 10s\n  unknownPodHoldOff: 1s\n");
    const probes = fakeProbes();
    probes.readings = healthy([pod("rest-api-abc", { display: "Unknown", ready: false, unknown: "containers-unknown" })]);
    let reads = 0;
    const read = probes.probes.k3sUnit.read;
    probes.probes.k3sUnit.read = (signal) => {
      reads++;
      return read(signal);
    };
    const actions = fakeActions();
    const daemon = await startDaemon({
      configPath: d.config, stateDir: d.state, runtimeDir: d.run, env: {},
      ports: { probes: probes.probes, actions: actions.actions, runCommand: createRunCommand(), close: async () => {} },
    });
    if (typeof daemon === "number") throw new Error(`daemon exited ${daemon}`);
    const started = Date.now();
    while (actions.calls.length === 0 && Date.now() - started < 9_000) await new Promise((resolve) => setTimeout(resolve, 50));
    // The first tick comes 10 s after start; the hold-off ends 1 s after the first look.
    expect(actions.calls.map((c) => c.kind)).toEqual(["delete-pods"]);
    expect(Date.now() - started).toBeLessThan(9_000);
    // After a remedy it looks at the effect at once, not at the next 10 s tick: a new iteration reads the probes.
    const readsAtAction = reads;
    const acted = Date.now();
    while (reads === readsAtAction && Date.now() - acted < 8_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toBeGreaterThan(readsAtAction);
    expect(Date.now() - acted).toBeLessThan(5_000);
    await daemon.stop("test");
  });
});
