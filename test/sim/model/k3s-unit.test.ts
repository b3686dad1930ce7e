// The k3s unit behaves like systemd runs k3s: Type=notify, Restart=always, RestartSec=5s, no start limit.
import { describe, expect, test } from "vitest";
import { createK3sUnit, type StartPlan } from "../../../src/sim/model/k3s-unit.js";
import { createScheduler } from "../../../src/sim/model/scheduler.js";

function unitWith(plans: StartPlan[], startLimit = false) {
  const scheduler = createScheduler(0);
  const exits: string[] = [];
  const unit = createK3sUnit(scheduler, {
    planStart: () => plans.shift() ?? { kind: "ready", afterMs: 20_000 },
    started: () => exits.push("started"),
    exited: (how) => exits.push(how),
    startLimitHit: () => startLimit,
  });
  const seen: string[] = [];
  unit.onChange(() => {
    const p = unit.properties();
    const line = `${p.activeState}/${p.subState}`;
    if (seen.at(-1) !== line) seen.push(line);
  });
  return { scheduler, unit, exits, seen };
}

describe("the k3s unit", () => {
  test("a start job resolves done when k3s sends READY=1, with InactiveExitTimestamp at the start attempt", async () => {
    const { scheduler, unit } = unitWith([{ kind: "ready", afterMs: 40_000 }]);
    const job = unit.start();
    scheduler.advance(10_000);
    expect(unit.properties()).toMatchObject({ activeState: "activating", subState: "start", inactiveExitAt: 0 });
    scheduler.advance(40_000);
    await expect(job).resolves.toBe("done");
    expect(unit.properties()).toMatchObject({ activeState: "active", subState: "running", activeEnterAt: 40_000 });
  });

  test("a failing k3s cycles start → failed briefly → auto-restart → start, counting NRestarts, never settling in failed", async () => {
    const fail = { kind: "fail", afterMs: 3_000, result: "exit-code" } as const;
    const { scheduler, unit, seen } = unitWith([fail, fail]);
    const job = unit.start();
    scheduler.advance(3_000);
    await expect(job).resolves.toBe("failed");
    scheduler.advance(60_000);
    expect(seen).toEqual([
      "inactive/dead", "activating/start", "failed/failed", "activating/auto-restart", "activating/start",
      "failed/failed", "activating/auto-restart", "activating/start", "active/running",
    ]);
    expect(unit.properties().restarts).toBe(2);
  });

  test("with a start limit the unit lands in failed with Result start-limit-hit until reset-failed", async () => {
    const { scheduler, unit } = unitWith([{ kind: "fail", afterMs: 3_000, result: "exit-code" }], true);
    void unit.start();
    scheduler.advance(60_000);
    expect(unit.properties()).toMatchObject({ activeState: "failed", result: "start-limit-hit" });
    unit.resetFailed();
    expect(unit.properties()).toMatchObject({ activeState: "inactive", result: "success" });
    const job = unit.start();
    scheduler.advance(120_000);
    await expect(job).resolves.toBe("done");
  });

  test("restart stops k3s (exited: stopped) and starts it again; the job resolves when it is active", async () => {
    const { scheduler, unit, exits } = unitWith([]);
    void unit.start();
    scheduler.advance(30_000);
    const job = unit.restart();
    scheduler.advance(33_000);
    expect(unit.properties().activeState).toBe("activating");
    scheduler.advance(80_000);
    await expect(job).resolves.toBe("done");
    expect(exits).toEqual(["started", "stopped", "started"]);
  });

  test("a crash of a running k3s is restarted by systemd after RestartSec", () => {
    const { scheduler, unit } = unitWith([]);
    void unit.start();
    scheduler.advance(30_000);
    unit.crash("signal");
    expect(unit.properties()).toMatchObject({ activeState: "failed", result: "signal" });
    scheduler.advance(34_000);
    expect(unit.properties()).toMatchObject({ activeState: "activating", subState: "auto-restart" });
    scheduler.advance(36_000);
    expect(unit.properties()).toMatchObject({ activeState: "activating", subState: "start", restarts: 1 });
  });
});
