// The unit's stamps on both clocks, ExecMainStartTimestamp, NRestarts flushed by a start it was
// asked for, and RestartMode=direct; and the node's clocks under a clock-jump fault.
import { describe, expect, test } from "vitest";
import { createK3sUnit, type RestartMode, type StartPlan } from "../../../src/sim/model/k3s-unit.js";
import { createNodeClock } from "../../../src/sim/model/node-clock.js";
import { createScheduler } from "../../../src/sim/model/scheduler.js";
import { createTimeWarp } from "../../../src/sim/serve/time-warp.js";
import { warpedUnit } from "../../../src/sim/serve/warped-faces.js";

function unitWith(plans: StartPlan[], restartMode: RestartMode = "normal") {
  const scheduler = createScheduler(0);
  const clock = createNodeClock(scheduler, 0);
  const unit = createK3sUnit(scheduler, {
    planStart: () => plans.shift() ?? { kind: "ready", afterMs: 20_000 },
    started: () => {},
    exited: () => {},
    startLimitHit: () => false,
  }, "k3s.service", clock, restartMode);
  const seen: string[] = [];
  unit.onChange(() => {
    const p = unit.properties();
    const line = `${p.activeState}/${p.subState}`;
    if (seen.at(-1) !== line) seen.push(line);
  });
  return { scheduler, clock, unit, seen };
}

const UPTIME = 3_600_000; // the node clock's monotonic reading when it was created

describe("the k3s unit's stamps", () => {
  test("after a crash, InactiveExitTimestamp is stamped entering auto-restart and ExecMainStartTimestamp RestartSec later", async () => {
    const { scheduler, unit } = unitWith([{ kind: "ready", afterMs: 20_000 }]);
    void unit.start();
    scheduler.advance(20_000);
    unit.crash("exit-code");
    scheduler.advance(30_000);
    expect(unit.properties()).toMatchObject({
      activeState: "activating", subState: "start", restarts: 1,
      inactiveExitAt: 20_100, inactiveExitMono: UPTIME + 20_100,
      execMainStartAt: 25_000, execMainStartMono: UPTIME + 25_000,
    });
  });

  test("a wall-clock jump moves the wall stamps, not the monotonic ones", () => {
    const { scheduler, clock, unit } = unitWith([{ kind: "ready", afterMs: 20_000 }]);
    clock.jump(2 * 3_600_000);
    void unit.start();
    scheduler.advance(20_000);
    expect(unit.properties()).toMatchObject({ execMainStartAt: 2 * 3_600_000, execMainStartMono: UPTIME, activeEnterAt: 2 * 3_600_000 + 20_000, activeEnterMono: UPTIME + 20_000 });
    clock.jump(-30 * 60_000);
    expect(clock.wall()).toBe(20_000 + 90 * 60_000);
    expect(clock.monotonic()).toBe(UPTIME + 20_000);
  });

  test("a start systemd was asked for flushes NRestarts; its own restarts count it up", async () => {
    const fail = { kind: "fail", afterMs: 3_000, result: "exit-code" } as const;
    const { scheduler, unit } = unitWith([fail, fail, fail]);
    void unit.start();
    scheduler.advance(20_000);
    expect(unit.properties().restarts).toBe(2);
    const stopped = unit.stop();
    scheduler.advance(25_000);
    await expect(stopped).resolves.toBe("done");
    void unit.start();
    expect(unit.properties().restarts).toBe(0);
  });

  test("under RestartMode=direct a crash goes straight to auto-restart: never failed, InactiveExitTimestamp not stamped again", () => {
    const { scheduler, unit, seen } = unitWith([{ kind: "ready", afterMs: 20_000 }], "direct");
    void unit.start();
    scheduler.advance(20_000);
    unit.crash("exit-code");
    scheduler.advance(26_000);
    expect(seen).toEqual(["inactive/dead", "activating/start", "active/running", "activating/auto-restart", "activating/start"]);
    expect(unit.properties()).toMatchObject({ inactiveExitAt: 0, execMainStartAt: 25_000, restarts: 1 });
  });
});

describe("the unit served to a real daemon through the time warp", () => {
  test("shows its stamps in wall time and no monotonic twins, which the model's clock cannot give for the host", () => {
    const { scheduler, unit } = unitWith([{ kind: "ready", afterMs: 20_000 }]);
    void unit.start();
    scheduler.advance(20_000);
    // Node time 0 is wall time 1_000_000; node time runs 10× the wall clock.
    const served = warpedUnit(unit, createTimeWarp(1_000_000, 10, 0)).properties();
    expect(served).toMatchObject({ inactiveExitAt: 1_000_000, execMainStartAt: 1_000_000, activeEnterAt: 1_002_000, inactiveExitMono: null, activeEnterMono: null, execMainStartMono: null });
  });
});
