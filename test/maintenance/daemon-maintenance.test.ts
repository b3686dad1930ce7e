// The daemon with maintenance on, over the simulated node's ports: the catch-up after start runs
// every check beside the loop, findings reach the logger once at warning/err, and status, /metrics,
// `maintenance run` and `drill` answer on the sockets.
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startDaemon } from "../../src/daemon/daemon.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimMaintenancePorts } from "../../src/sim/ports/sim-maintenance.js";
import { fakeActions, fakeProbes } from "../daemon/fakes.js";

function ask(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method, timeout: 10_000, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, body: text.startsWith("{") ? JSON.parse(text) : null }));
    });
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const until = async <T>(check: () => Promise<T | null>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("the daemon's scheduled maintenance", () => {
  it("catches up every check after start, says a crit finding once at err, and serves it on the sockets", async () => {
    const root = mkdtempSync(join(tmpdir(), "swd-maint-"));
    const config = join(root, "config.yaml");
    writeFileSync(config, "timing:\n  tick: 1s\nmaintenance:\n  catchUpDelay: 0s\n  timezone: UTC\n");
    const node = createSongNodesNode({ start: Date.now(), seed: 5, initial: "healthy" });
    node.inject({ fault: "disk-filling", path: "/", toPercent: 95, over: 1 });
    node.advance(node.now() + 1000);
    const lines: { level: string; message: string }[] = [];
    const probes = fakeProbes();
    const daemon = await startDaemon({
      configPath: config, stateDir: join(root, "state"), runtimeDir: join(root, "run"), env: {},
      ports: { probes: probes.probes, actions: fakeActions().actions, runCommand: createRunCommand(), maintenance: createSimMaintenancePorts(node), close: async () => {} },
      logger: { debug() {}, info: (m) => lines.push({ level: "info", message: m }), warn: (m) => lines.push({ level: "warn", message: m }), error: (m) => lines.push({ level: "error", message: m }) },
    });
    if (typeof daemon === "number") throw new Error(`daemon exited ${daemon}`);
    try {
      const statusPath = daemon.server.statusPath;
      const checks = await until(async () => {
        const body = (await ask(statusPath, "GET", "/v1/status")).body;
        return body.maintenance.every((c: { lastRun: unknown }) => c.lastRun !== null) ? body.maintenance : null;
      });
      // The resilience audit is one of the scheduled checks, on the weekly slot.
      expect(checks.find((c: { name: string }) => c.name === "audit")).toMatchObject({ cadence: "weekly", lastRun: { why: "first run", level: "ok" } });
      const disk = checks.find((c: { name: string }) => c.name === "host-disk");
      expect(disk.lastRun.level).toBe("crit");
      expect(disk.lastRun.why).toBe("first run");
      expect(disk.nextRunAt).toBeGreaterThan(Date.now());
      const metrics = (await ask(statusPath, "GET", "/metrics")).text;
      expect(metrics).toMatch(/^songnodes_watchdog_maintenance_level\{check="host-disk",level="crit"\} 1$/m);
      // Run it again by hand: the same finding is not said a second time.
      const control = join(root, "run", "control.sock");
      const again = await ask(control, "POST", "/v1/maintenance/run", { name: "host-disk", by: "test" });
      expect(again.status).toBe(200);
      expect(again.body.run.why).toBe("by operator (test)");
      expect(lines.filter((l) => l.level === "error" && l.message.startsWith("maintenance host-disk crit: / 100 % used"))).toHaveLength(1);
      expect((await ask(control, "POST", "/v1/maintenance/run", { name: "no-such-check" })).status).toBe(404);
      expect((await ask(control, "POST", "/v1/drill", { note: "restored last night's dump into a scratch database" })).status).toBe(200);
      const drill = await ask(control, "POST", "/v1/maintenance/run", { name: "dr-drill" });
      expect(drill.body.run.level).toBe("ok");
      expect(drill.body.run.reason).toMatch(/restored last night's dump/);
    } finally {
      await daemon.stop("test");
    }
  });

  it("leaves the resilience audit to the scheduler: the runbook checks' runner never runs it while maintenance is on", async () => {
    const root = mkdtempSync(join(tmpdir(), "swd-maint-audit-"));
    const config = join(root, "config.yaml");
    writeFileSync(config, "timing:\n  tick: 1s\n  healthyHold: 1s\nmaintenance:\n  catchUpDelay: 1h\n  timezone: UTC\n");
    const node = createSongNodesNode({ start: Date.now(), seed: 5, initial: "healthy" });
    const ran: string[] = [];
    const stub = (name: string) => ({ name, run: async () => (ran.push(name), { level: "ok" as const, reason: "fine", next: null, findings: [] }) });
    const probes = fakeProbes();
    const daemon = await startDaemon({
      configPath: config, stateDir: join(root, "state"), runtimeDir: join(root, "run"), env: {},
      ports: { probes: probes.probes, actions: fakeActions().actions, runCommand: createRunCommand(), maintenance: createSimMaintenancePorts(node), checks: [stub("audit"), stub("pdbs")], close: async () => {} },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    if (typeof daemon === "number") throw new Error(`daemon exited ${daemon}`);
    try {
      // The node becoming healthy runs the runbook checks once.
      await until(async () => (ran.includes("pdbs") ? true : null));
      expect(ran).toEqual(["pdbs"]);
    } finally {
      await daemon.stop("test");
    }
  });
});
