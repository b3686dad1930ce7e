// The daemon started with `metrics.listen`: its TCP listener on the loopback serves /metrics with
// the outbox's real counters, and nothing else (no status body, no history, no control).
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type RunningDaemon } from "../../src/daemon/daemon.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimMaintenancePorts } from "../../src/sim/ports/sim-maintenance.js";
import { fakeActions, fakeProbes, memoryLogger } from "../daemon/fakes.js";
import { startReceiver, type Receiver } from "./receiver.js";

function call(address: string, method: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(`http://${address}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), method, path, timeout: 5_000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

let daemon: RunningDaemon | null = null;
let receiver: Receiver | null = null;
afterEach(async () => {
  await daemon?.stop("test");
  await receiver?.close();
  daemon = null;
  receiver = null;
});

describe("the daemon with metrics.listen set", () => {
  it("serves /metrics on the loopback with the outbox's queued, delivered, failed and dropped, and refuses every other path", async () => {
    receiver = await startReceiver("ok");
    const root = mkdtempSync(join(tmpdir(), "swd-daemon-metrics-"));
    const config = join(root, "config.yaml");
    writeFileSync(config, [
      "timing:\n  tick: 1s",
      'metrics:\n  listen: "127.0.0.1:0"',
      "maintenance:\n  catchUpDelay: 0s\n  timezone: UTC",
      `notifications:\n  retry: { initial: 100ms, max: 1s }\n  channels:\n    - { type: webhook, name: hook, url: "${receiver.url}/hook" }`,
    ].join("\n") + "\n");
    // A crit maintenance finding gives the outbox one real delivery to count.
    const node = createSongNodesNode({ start: Date.now(), seed: 5, initial: "healthy" });
    node.inject({ fault: "disk-filling", path: "/", toPercent: 95, over: 1 });
    node.advance(node.now() + 1000);
    const logger = memoryLogger();
    const started = await startDaemon({
      configPath: config, stateDir: join(root, "state"), runtimeDir: join(root, "run"), env: {}, logger,
      ports: { probes: fakeProbes().probes, actions: fakeActions().actions, runCommand: createRunCommand(), maintenance: createSimMaintenancePorts(node), close: async () => {} },
    });
    if (typeof started === "number") throw new Error(`daemon exited ${started}`);
    daemon = started;
    // Port 0 was asked: the daemon says which one it bound.
    const said = logger.lines.map((l) => /^metrics for Prometheus on http:\/\/(127\.0\.0\.1:\d+)\/metrics$/.exec(l.message)?.[1]).find(Boolean);
    expect(said).toBeDefined();
    const address = said!;
    expect(address).not.toBe("127.0.0.1:0");

    // The delivery is counted in the journal's outbox; a scrape shows it within a few polls.
    let metrics = await call(address, "GET", "/metrics");
    for (const deadline = Date.now() + 15_000; !/^songnodes_watchdog_notifications_delivered_total 1$/m.test(metrics.body) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = await call(address, "GET", "/metrics");
    }
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^songnodes_watchdog_notifications_queued 0$/m);
    expect(metrics.body).toMatch(/^songnodes_watchdog_notifications_delivered_total 1$/m);
    expect(metrics.body).toMatch(/^songnodes_watchdog_notifications_failed_total 0$/m);
    expect(metrics.body).toMatch(/^songnodes_watchdog_notifications_dropped_total 0$/m);
    expect(metrics.body).toMatch(/^songnodes_watchdog_maintenance_level\{check="host-disk",level="crit"\} 1$/m);
    expect(metrics.body).toMatch(/^songnodes_watchdog_phase\{phase="[a-z0-9-]+"\} 1$/m);
    expect(receiver.requests.map((r) => (r.body as { kind: string }).kind)).toEqual(["maintenance-crit"]);

    // Read-only: the unix sockets' status, history and control endpoints are not served here.
    for (const [method, path] of [["GET", "/v1/status"], ["GET", "/v1/history"], ["GET", "/v1/boots"], ["GET", "/healthz"], ["GET", "/"], ["POST", "/v1/pause"], ["POST", "/v1/resume"], ["POST", "/v1/check-now"], ["POST", "/v1/maintenance/run"]] as const) {
      const answer = await call(address, method, path);
      expect([method, path, answer.status]).toEqual([method, path, 404]);
      expect(answer.body).not.toContain("songnodes_watchdog_");
      expect(answer.body).not.toContain("{");
    }
    expect((await call(address, "POST", "/metrics")).status).toBe(405);
    expect(daemon.loop.state().pause).toBeNull();
  });
});
