// The baseline decision cores behave as the tools they stand for, and the driver measures a real run.
import { describe, expect, it } from "vitest";
import type { Observations } from "../../src/core/types.js";
import { cooldownDecide } from "../../bench/recovery/cooldown-repair.js";
import { naiveDecide } from "../../bench/recovery/naive-restart.js";
import { drive } from "../../bench/recovery/drive.js";
import { daemonContender } from "../../bench/recovery/daemon-contender.js";
import { loadScenario } from "../../src/sim/scenario/load.js";

const NOW = Date.parse("2025-11-14T10:30:00Z");
const ok = { status: "ok" as const, reason: "ok", since: NOW - 600_000 };
function observations(patch: Partial<Record<keyof Observations, unknown>> = {}, unit = { subState: "running", inactiveExitAt: NOW - 600_000 }): Observations {
  const base = {
    k3sUnit: { ...ok, detail: { activeState: "active", result: "success", activeEnterAt: NOW - 590_000, restarts: 0, ...unit } },
    containerdSocket: { ...ok, detail: null }, api: { ...ok, detail: null }, nodes: { ...ok, detail: null },
    pods: { ...ok, detail: { pods: [] } }, registry: { ...ok, detail: null }, k3sLog: { ...ok, detail: null },
  };
  return { ...base, ...patch } as unknown as Observations;
}
const input = (obs: Observations) => ({ observations: obs, finished: [], requests: [] });
const bad = { status: "bad" as const, reason: "bad", since: NOW, detail: null };

describe("the restart-on-unhealthy script", () => {
  it("restarts k3s when a single pod is not ready", () => {
    const result = naiveDecide({ restartPendingSince: null }, input(observations({ pods: bad })), NOW);
    expect(result.commands.map((c) => c.kind)).toEqual(["restart-k3s"]);
  });
  it("does not restart again while its own restart is still starting", () => {
    const starting = observations({ api: bad }, { subState: "start", inactiveExitAt: NOW - 1_000 });
    const result = naiveDecide({ restartPendingSince: NOW - 1_000 }, input(starting), NOW);
    expect(result.commands).toEqual([]);
  });
  it("does nothing on a healthy node", () => {
    expect(naiveDecide({ restartPendingSince: null }, input(observations()), NOW).commands).toEqual([]);
  });
});

describe("the cooldown-only repairer", () => {
  it("restarts k3s when the API is down and k3s has been up longer than the 2 minute cooldown", () => {
    expect(cooldownDecide(null, input(observations({ api: bad })), NOW).commands.map((c) => c.kind)).toEqual(["restart-k3s"]);
  });
  it("leaves a k3s alone whose start attempt is younger than the cooldown", () => {
    const young = observations({ api: bad }, { subState: "running", inactiveExitAt: NOW - 60_000 });
    expect(cooldownDecide(null, input(young), NOW).commands).toEqual([]);
  });
  it("never acts for pods", () => {
    expect(cooldownDecide(null, input(observations({ pods: bad })), NOW).commands).toEqual([]);
  });
});

describe("the recovery driver", () => {
  it("measures the daemon bringing the node back after a k3s kill without restarting anything", async () => {
    const run = await drive(loadScenario("k3s-killed-once"), daemonContender(5_000));
    expect(run.endedHealthy).toBe(true);
    expect(run.healthyMs).not.toBeNull();
    expect(run.detectMs).not.toBeNull();
    expect(run.actions["killall-k3s"]).toBe(0);
  });
});
