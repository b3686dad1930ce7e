// The status and control sockets over real unix sockets: every endpoint, the JSON error shapes, the
// socket files' modes, stale and live sockets at start, and clean removal on stop.
import { execFile, spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { askDaemon } from "../../src/status/client.js";
import { startStatusServer } from "../../src/status/server.js";
import { BOOT_ID, createMemoryLogger, startHarness, type Harness } from "./harness.js";

const run = promisify(execFile);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const get = (path: string, socketPath = h.server.statusPath) => askDaemon({ socketPath, method: "GET", path });
const post = (path: string, body: unknown, socketPath = h.server.controlPath) => askDaemon({ socketPath, method: "POST", path, body });

describe("the status socket", () => {
  it("answers a real curl --unix-socket call with the status as JSON", async () => {
    const { stdout } = await run("curl", ["--silent", "--show-error", "--max-time", "5", "--unix-socket", h.server.statusPath, "http://localhost/v1/status"]);
    const body = JSON.parse(stdout);
    expect(body.phase).toBe("healthy");
    expect(body.bootId).toBe(BOOT_ID);
    expect(body.probes.k3sUnit).toMatchObject({ status: "ok", reason: "k3s.service is active (running)" });
    expect(body.budgets).toContainEqual({ kind: "restart-k3s", used: 0, max: 3, windowMs: 3_600_000, left: 3 });
    expect(body.pause).toBeNull();
    expect(body.version).toBe("0.1.0-test");
    expect(body.uptimeMs).toBeGreaterThanOrEqual(0);
    // Not yet healthy this boot: the elapsed time stands in for the time to healthy.
    expect(body.timeToHealthyMs).toBeNull();
    expect(body.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it("shows the boot's time to healthy once the journal has it", async () => {
    h.journal.markBootHealthy(BOOT_ID, h.clock.now() + 252_000);
    const body = (await get("/v1/status")).body as { timeToHealthyMs: number; elapsedMs: number | null };
    expect(body.timeToHealthyMs).toBeGreaterThanOrEqual(252_000);
    expect(body.elapsedMs).toBeNull();
    const boots = (await get("/v1/boots?limit=5")).body as { boots: { bootId: string; timeToHealthyMs: number }[] };
    expect(boots.boots[0]).toMatchObject({ bootId: BOOT_ID });
    expect(boots.boots[0]?.timeToHealthyMs).toBeGreaterThanOrEqual(252_000);
  });

  it("serves history filtered by kind, limit and since", async () => {
    const now = h.clock.now();
    h.journal.recordPhase("waiting-for-k3s", "waiting-for-api", now - 7_200_000, "k3s.service active");
    h.journal.recordPhase("waiting-for-api", "healthy", now - 60_000, "everything ok");
    h.journal.recordNote("warning", "slow-pull", "pulling localhost:5000/rest-api for 12m", now - 30_000);
    const phases = (await get("/v1/history?kind=phase")).body as { entries: { kind: string; summary: string }[] };
    expect(phases.entries.map((e) => e.kind)).toEqual(["phase", "phase"]);
    expect(phases.entries[0]?.summary).toContain("healthy");
    const recent = (await get("/v1/history?since=1h")).body as { entries: { kind: string }[] };
    expect(recent.entries.some((e) => e.kind === "note")).toBe(true);
    expect(recent.entries.filter((e) => e.kind === "phase")).toHaveLength(1);
    const one = (await get("/v1/history?limit=1")).body as { entries: unknown[] };
    expect(one.entries).toHaveLength(1);
  });

  it("answers /healthz and /metrics in the Prometheus text format", async () => {
    expect((await get("/healthz")).body).toEqual({ ok: true, phase: "healthy", version: "0.1.0-test" });
    const id = h.journal.planAction("restart-k3s", "k3s down", h.clock.now(), false);
    h.journal.startAction(id, h.clock.now());
    h.journal.finishAction(id, h.clock.now(), true, "k3s.service restarted", ["k3s.service"]);
    const metrics = await get("/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('songnodes_watchdog_phase{phase="healthy"} 1');
    expect(metrics.text).toContain('songnodes_watchdog_phase{phase="recovering"} 0');
    expect(metrics.text).toContain('songnodes_watchdog_actions_total{kind="restart-k3s",outcome="succeeded"} 1');
    expect(metrics.text).toContain('songnodes_watchdog_budget_left{kind="restart-k3s"} 2');
    expect(metrics.text).toContain("songnodes_watchdog_boot_recovery_seconds NaN");
    expect(metrics.text).toContain('songnodes_watchdog_probe_status{probe="api",status="ok"} 1');
    expect(metrics.text).toContain("# TYPE songnodes_watchdog_actions_total counter");
    // Every sample line is `name{labels} value`: nothing a Prometheus parser would choke on.
    for (const line of metrics.text.trim().split("\n").filter((l) => !l.startsWith("#"))) {
      expect(line).toMatch(/^songnodes_watchdog_[a-z_]+(\{[^}]*\})? (-?[0-9.e+]+|NaN)$/);
    }
  });

  it("refuses control endpoints on the read-only socket with 403", async () => {
    const answer = await post("/v1/pause", { duration: "30m", reason: "kernel upgrade" }, h.server.statusPath);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: expect.stringContaining("control.sock") });
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
  });

  it("answers unknown paths with 404, wrong methods with 405 and bad parameters with 400, all as JSON", async () => {
    const missing = await get("/v1/nothing");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: "no such endpoint" });
    const wrong = await post("/v1/status", {});
    expect(wrong.status).toBe(405);
    expect(wrong.body).toMatchObject({ error: "method not allowed", detail: { allowed: "GET" } });
    const bad = await get("/v1/history?limit=5000");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "invalid query", detail: [{ path: "limit" }] });
    const typo = await get("/v1/history?knd=action");
    expect(typo.status).toBe(400);
    const kind = await get("/v1/history?kind=reboot");
    expect(kind.status).toBe(400);
  });
});

describe("the control socket", () => {
  it("pauses with a duration and a reason, records it in the journal, and resumes", async () => {
    const paused = await post("/v1/pause", { duration: "30m", reason: "kernel upgrade", by: "alice" });
    expect(paused.status).toBe(200);
    const status = (await get("/v1/status")).body as { phase: string; pause: { reason: string; by: string; leftMs: number } };
    expect(status.phase).toBe("paused");
    expect(status.pause).toMatchObject({ reason: "kernel upgrade", by: "alice" });
    expect(status.pause.leftMs).toBeGreaterThan(29 * 60_000);
    expect((await post("/v1/resume", { reason: "upgrade done", by: "alice" })).status).toBe(200);
    expect(((await get("/v1/status")).body as { pause: unknown }).pause).toBeNull();
    const history = h.journal.history({ kind: "pause" });
    expect(history.map((e) => e.detail.event)).toEqual(["ended", "paused"]);
    expect(history[0]?.detail.endedHow).toContain("upgrade done");
  });

  it("refuses a pause without a reason or with a bad duration (400), and never records it", async () => {
    expect((await post("/v1/pause", { duration: "30m" })).status).toBe(400);
    expect((await post("/v1/pause", { duration: "30m", reason: "   " })).status).toBe(400);
    expect((await post("/v1/pause", { duration: "soon", reason: "x" })).status).toBe(400);
    expect((await post("/v1/pause", { duration: "30d", reason: "x" })).status).toBe(400);
    const notJson = await askDaemon({ socketPath: h.server.controlPath, method: "POST", path: "/v1/pause", body: undefined });
    expect(notJson.status).toBe(400);
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
  });

  it("wakes the loop on check-now and records who asked", async () => {
    const answer = await post("/v1/check-now", { reason: "after swapping the disk", by: "alice" });
    expect(answer.status).toBe(202);
    expect(h.source.checks).toEqual([{ reason: "after swapping the disk", by: "alice" }]);
    expect(h.journal.history({ kind: "note" })[0]?.summary).toContain("after swapping the disk");
  });

  it("refuses a body over 16 KiB with 413", async () => {
    const answer = await post("/v1/pause", { duration: "30m", reason: "x".repeat(20_000) });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: "request body too large" });
  });
});

describe("the socket files", () => {
  it("are 0660 (status, in its group) and 0600 (control)", () => {
    expect(statSync(h.server.statusPath).mode & 0o777).toBe(0o660);
    expect(statSync(h.server.statusPath).gid).toBe(0);
    expect(statSync(h.server.controlPath).mode & 0o777).toBe(0o600);
  });

  it("are removed on a clean stop", async () => {
    await h.stop();
    expect(existsSync(h.server.statusPath)).toBe(false);
    expect(existsSync(h.server.controlPath)).toBe(false);
  });

  it("replace a stale socket left by a crash", async () => {
    await h.stop();
    // A daemon killed with SIGKILL leaves its socket file behind with nobody listening on it.
    const path = join(h.runtimeDir, "status.sock");
    const child = spawn(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`]);
    await new Promise((resolve) => child.stdout.once("data", resolve));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(existsSync(join(h.runtimeDir, "status.sock"))).toBe(true);
    await h.restart();
    expect((await get("/healthz")).status).toBe(200);
  });

  it("refuse to start while another daemon answers on them", async () => {
    const second = startStatusServer({ runtimeDir: h.runtimeDir, group: "root", source: h.source, logger: createMemoryLogger() });
    await expect(second).rejects.toThrow(/already answering/);
    expect((await get("/healthz")).status).toBe(200);
  });

  it("fall back to root-only when the configured group does not exist, and say so", async () => {
    await h.stop();
    const logger = createMemoryLogger();
    const server = await startStatusServer({ runtimeDir: h.runtimeDir, group: "no-such-group-xyz", source: h.source, logger });
    expect(statSync(server.statusPath).gid).toBe(0);
    expect(logger.lines.some((l) => l.level === "error" && l.message.includes("no-such-group-xyz"))).toBe(true);
    await server.close();
  });

  it("leave a file that is not a socket alone", async () => {
    await h.stop();
    writeFileSync(join(h.runtimeDir, "status.sock"), "not a socket");
    await expect(startStatusServer({ runtimeDir: h.runtimeDir, group: "root", source: h.source, logger: createMemoryLogger() })).rejects.toThrow(/not a socket/);
  });
});

describe("a socket path longer than a unix socket's 107 bytes", () => {
  // Node 20 would cut it silently and bind or ask a shorter path; Node 24 says EINVAL. Both refuse it
  // by name here, before anything touches the file system.
  const deep = () => join(h.dir, "a".repeat(60), "b".repeat(40));

  it("is refused by the server with its length, and no socket is made at the cut-off path", async () => {
    const runtimeDir = deep();
    const statusPath = join(runtimeDir, "status.sock");
    expect(Buffer.byteLength(statusPath)).toBeGreaterThan(107);
    await expect(startStatusServer({ runtimeDir, group: "root", source: h.source, logger: createMemoryLogger() })).rejects.toThrow(
      `cannot listen on ${statusPath}: the path is ${Buffer.byteLength(statusPath)} bytes, longer than the 107 a unix socket's path can be`,
    );
    expect(existsSync(statusPath.slice(0, 107))).toBe(false);
  });

  it("is refused by the client with its length, and nothing is asked", async () => {
    const socketPath = join(deep(), "status.sock");
    await expect(askDaemon({ socketPath, method: "GET", path: "/v1/status" })).rejects.toMatchObject({
      name: "SocketPathError",
      message: expect.stringContaining(`the path is ${Buffer.byteLength(socketPath)} bytes, longer than the 107`),
    });
  });

  it("is taken at exactly 107 bytes", async () => {
    // control.sock is the longer name: at 107 bytes, status.sock is 106.
    const runtimeDir = join(h.dir, "c".repeat(107 - h.dir.length - 2 - "control.sock".length));
    const server = await startStatusServer({ runtimeDir, group: "root", source: h.source, logger: createMemoryLogger() });
    expect(Buffer.byteLength(server.controlPath)).toBe(107);
    expect((await post("/v1/check-now", {}, server.controlPath)).status).toBe(202);
    await server.close();
  });
});
