// The real node-cron triggers driving the real runner on a short schedule (every second): while a
// slow check runs, later triggers start nothing twice; a check that hangs is cut at its timeout and
// the checks queued behind it still run. The runner's clock stands still, so after its one run a
// check is not due again and every start counted here comes from the first look.
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { parseCron, type CronSchedule } from "../../src/maintenance/cron-slots.js";
import { startCronTriggers } from "../../src/maintenance/cron-triggers.js";
import { createMaintenanceRunner, type MaintenanceRunner } from "../../src/maintenance/runner.js";
import type { CheckResult, MaintenanceCheck } from "../../src/maintenance/types.js";
import { memoryLogger } from "../daemon/fakes.js";

v8.setFlagsFromString("--expose_gc");
const gc = vm.runInNewContext("gc") as () => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fine: CheckResult = { level: "ok", reason: "fine", next: null, findings: [] };

describe("node-cron triggers over the runner", () => {
  it("every-second triggers never overlap a slow check, and a hanging check is cut at its timeout", async () => {
    const starts = new Map<string, number>();
    let looks = 0;
    let inFlight = 0;
    let most = 0;
    const looksDuringSlow: number[] = [];
    // In flight: the checks that answer (the hung one never settles, so it is not counted).
    const counted = (name: string, body: () => Promise<CheckResult>): MaintenanceCheck => ({
      name, cadence: "daily",
      run: async () => {
        starts.set(name, (starts.get(name) ?? 0) + 1);
        if (name === "hangs") return body();
        most = Math.max(most, ++inFlight);
        try {
          return await body();
        } finally {
          inFlight--;
        }
      },
    });
    const checks = [
      counted("hangs", () => new Promise(() => undefined)),
      counted("slow", async () => {
        const before = looks;
        await sleep(1_500);
        looksDuringSlow.push(looks - before);
        return fine;
      }),
      counted("quick", async () => fine),
    ];
    const T = Date.parse("2026-06-10T04:30:00Z");
    const clock = { now: () => T };
    const store = openJournal(":memory:", clock).maintenance!;
    const logger = memoryLogger();
    const schedule = parseCron("30 4 * * *") as CronSchedule;
    const inner = createMaintenanceRunner({ checks: checks.map((check) => ({ check, schedule })), store, clock, logger, timeZone: "UTC", timeoutMs: 2_000 });
    const runner: MaintenanceRunner = { ...inner, runDue: () => (looks++, inner.runDue()) };
    const stop = startCronTriggers({ runner, expressions: ["* * * * * *"], timeZone: "UTC", catchUpDelayMs: 0, logger });
    try {
      await sleep(300);
      gc();
      await sleep(4_500);
    } finally {
      await stop();
    }
    await inner.idle();
    expect(looks).toBeGreaterThanOrEqual(4);
    expect(Object.fromEntries(starts)).toEqual({ hangs: 1, slow: 1, quick: 1 });
    expect(looksDuringSlow[0]).toBeGreaterThanOrEqual(1);
    expect(most).toBe(1);
    const last = store.lastRuns();
    expect(last.get("hangs")).toMatchObject({ level: "unknown", reason: "no result within 2s" });
    expect(last.get("slow")?.level).toBe("ok");
    expect(last.get("quick")?.level).toBe("ok");
    expect(last.get("slow")!.finishedAt).toBe(T);
  }, 20_000);
});
