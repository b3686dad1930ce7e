// The real probes and the real loop and scheduler against the served simulated node (its HTTPS API
// server, its D-Bus, its registry, all on loopback or unix sockets): while everything is quiet the
// API is not asked for /readyz at every tick, and when the API server goes away, its broken watch
// streams wake the loop, which probes the API at once instead of waiting for the tick.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createLoop, type IterationReport, type Loop } from "../../src/daemon/loop.js";
import { startScheduler, type Scheduler } from "../../src/daemon/scheduler.js";
import { buildRealPorts, type RealPorts } from "../../src/daemon/wiring.js";
import { systemClock } from "../../src/ports.js";
import { serveSimulatedNode, type ServedNode } from "../../src/sim/serve/serve-node.js";
import { memoryLogger } from "./fakes.js";

// Long enough that an iteration within a second of the fault cannot be the tick's.
const TICK_MS = 4_000;
const tools = ["/usr/bin/dbus-daemon"].filter((tool) => !existsSync(tool));

let dir: string;
let served: ServedNode;
let ports: RealPorts;
let scheduler: Scheduler;
let unwatch: (() => void)[] = [];
const logger = memoryLogger();
// Each iteration's report with the scheduler's "wake:" line that started it.
// Each iteration's report, the scheduler's "wake:" line that started it, and the /readyz requests the
// API server received while it ran.
const iterations: { wake: string; report: IterationReport; readyz: number }[] = [];

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}; last wake-ups: ${iterations.slice(-4).map((i) => i.wake).join(" | ")}`);
}

describe.skipIf(tools.length > 0)(`the API's broken watches wake the loop${tools.length > 0 ? ` (skipped: missing ${tools.join(", ")})` : ""}`, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "swd-broken-watch-"));
    // Node time 10:45, between the hourly CronJobs: nothing happens on the node by itself.
    served = await serveSimulatedNode({ outDir: join(dir, "node"), startAt: Date.parse("2025-11-14T10:45:00Z") });
    const loaded = loadConfig(served.paths.configPath);
    const config = { ...loaded, timing: { ...loaded.timing, tick: TICK_MS } };
    ports = buildRealPorts(config, logger, systemClock);
    const loop: Loop = createLoop({ config, probes: ports.probes, actions: ports.actions, logger, clock: systemClock, bootId: "test-boot" });
    const recorded: Loop = {
      ...loop,
      iterate: async (now, cause) => {
        const wake = logger.lines.filter((line) => line.message.startsWith("wake: ")).at(-1)?.message ?? "";
        const before = served.apiRequests().readyz;
        const report = await loop.iterate(now, cause);
        iterations.push({ wake, report, readyz: served.apiRequests().readyz - before });
        return report;
      },
    };
    scheduler = startScheduler({ loop: recorded, clock: systemClock, logger, tickMs: config.timing.tick, probeTimeoutMs: config.timing.probeTimeout });
    unwatch = Object.values(ports.probes).map((probe) => probe.watch?.((why) => scheduler.wake(why)) ?? (() => {}));
  }, 60_000);
  afterAll(async () => {
    for (const off of unwatch) off();
    await scheduler?.stop(2_000);
    await ports?.close();
    await served?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("while every probe reads ok, a tick's iteration lets the API's ok reading stand; when the API server goes away, the broken watch wakes the loop and the API is probed at once", async () => {
    const allOk = (report: IterationReport) => Object.values(report.observations).every((o) => o.status === "ok");
    await until("every probe reads ok", () => iterations.some((i) => allOk(i.report)), 30_000);
    // A quiet iteration: woken by the tick alone after an all-ok one, it read the API ok without a /readyz.
    const standing = (i: (typeof iterations)[number]) => i.wake === "wake: tick" && i.report.probesRead < 7 && i.readyz === 0;
    await until("a quiet iteration in which the API's reading stood", () => iterations.some(standing), 30_000);
    expect(iterations.find(standing)!.report.observations.api.status).toBe("ok");

    // Right after an iteration, so the next tick is seconds away.
    const seen = iterations.length;
    await until("the next iteration", () => iterations.length > seen, 10_000);
    served.inject({ fault: "api-down", duration: null });
    await until("an iteration reads the API bad", () => iterations.slice(seen).some((i) => i.report.observations.api.status === "bad"), 10_000);
    const detecting = iterations.slice(seen).find((i) => i.report.observations.api.status === "bad")!;

    expect(detecting.wake).toMatch(/watch lost: .*probing the API now/);
    expect(detecting.report.observations.api.reason).toMatch(/^API not answering: .*ECONNREFUSED/);
    expect(detecting.report.probesRead).toBe(7);
  }, 90_000);
});
