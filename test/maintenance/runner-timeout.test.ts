// The runner's own timeout: a check that hangs reads unknown at its timeout and the next check in
// the queue runs, even when the garbage collector runs while it hangs (on Node 20 a timeout inside
// `AbortSignal.any` could be collected and never fire, and one hung check then blocked every later run).
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { openJournal } from "../../src/journal/index.js";
import { buildChecks, type MaintenancePorts } from "../../src/maintenance/check-set.js";
import { parseCron, type CronSchedule } from "../../src/maintenance/cron-slots.js";
import { createMaintenanceRunner } from "../../src/maintenance/runner.js";
import type { MaintenanceCheck } from "../../src/maintenance/types.js";
import { memoryLogger } from "../daemon/fakes.js";

// The collector, from inside this worker (no --expose-gc needed on the command line).
v8.setFlagsFromString("--expose_gc");
const gc = vm.runInNewContext("gc") as () => void;

const schedule = parseCron("30 4 * * *") as CronSchedule;
const ok = (name: string): MaintenanceCheck => ({ name, cadence: "daily", run: async () => ({ level: "ok", reason: "fine", next: null, findings: [] }) });

function rig(checks: MaintenanceCheck[], timeoutMs: number) {
  const clock = { now: () => Date.now() };
  const store = openJournal(":memory:", clock).maintenance!;
  const logger = memoryLogger();
  const runner = createMaintenanceRunner({ checks: checks.map((check) => ({ check, schedule })), store, clock, logger, timeZone: "UTC", timeoutMs });
  return { runner, store };
}

describe("the runner's per-check timeout", () => {
  it("a check that never answers (not even to its signal) reads unknown at its timeout, after a GC, and the next check runs", async () => {
    let sawAbort = false;
    const hangs: MaintenanceCheck = {
      name: "hangs", cadence: "daily",
      run: (signal) => (signal.addEventListener("abort", () => (sawAbort = true)), new Promise(() => undefined)),
    };
    const { runner } = rig([hangs, ok("after")], 200);
    const started = Date.now();
    const first = runner.runNow("hangs");
    const second = runner.runNow("after");
    setTimeout(gc, 50);
    const hung = await first;
    expect(hung).toMatchObject({ level: "unknown", reason: "no result within 200ms" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sawAbort).toBe(true);
    expect(await second).toMatchObject({ check: "after", level: "ok" });
  }, 10_000);

  it("a check that waits on its signal is aborted at its timeout and its next due run is not held up", async () => {
    const waits: MaintenanceCheck = {
      name: "waits", cadence: "daily",
      run: (signal) => new Promise((resolve) => signal.addEventListener("abort", () => resolve({ level: "unknown", reason: "aborted: its signal fired", next: null, findings: [] }), { once: true })),
    };
    const { runner } = rig([waits, ok("after")], 150);
    setTimeout(gc, 30);
    const runs = await runner.runDue();
    expect(runs.map((r) => [r.check, r.level])).toEqual([["waits", "unknown"], ["after", "ok"]]);
    expect(runs[0]!.finishedAt - runs[0]!.startedAt).toBeLessThan(2_000);
  }, 10_000);

  it("a check whose own command may take longer than the check timeout gets that time (the dump check's 10m over 2m)", async () => {
    const slow: MaintenanceCheck = {
      name: "slow-command", cadence: "weekly", timeoutMs: 600,
      run: () => new Promise((resolve) => setTimeout(() => resolve({ level: "ok", reason: "the dump reads whole", next: null, findings: [] }), 300)),
    };
    const hangs: MaintenanceCheck = { name: "hangs", cadence: "weekly", timeoutMs: 400, run: () => new Promise(() => undefined) };
    const { runner } = rig([slow, hangs], 100);
    expect(await runner.runNow("slow-command")).toMatchObject({ level: "ok" });
    expect(await runner.runNow("hangs")).toMatchObject({ level: "unknown", reason: "no result within 400ms" });
  }, 10_000);

  it("the configured dump check and data count get their command's timeout and a margin, never less than checkTimeout", () => {
    const config = parseConfig({ maintenance: { backupIntegrity: { command: ["pg_restore", "-f", "/dev/null", "/backups/x.dump"] }, dataIntegrity: { enabled: true } } });
    const ports = { kube: {} as MaintenancePorts["kube"], host: {} as MaintenancePorts["host"], exec: {} as MaintenancePorts["exec"] };
    const store = openJournal(":memory:").maintenance!;
    const checks = new Map(buildChecks(config, ports, store, { now: () => 0 }).map(({ check }) => [check.name, check]));
    expect(config.maintenance.checkTimeout).toBe(2 * 60_000);
    expect(checks.get("backup-integrity")!.timeoutMs).toBe(10 * 60_000 + 30_000);
    expect(checks.get("data-integrity")!.timeoutMs).toBe(60_000 + 30_000);
    expect(checks.get("host-disk")!.timeoutMs).toBeUndefined();
  });
});
