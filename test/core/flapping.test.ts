// A flapping k3s: failures in a sliding window, from NRestarts and from the crashes the daemon saw.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { findFlapping } from "../../src/core/flapping.js";
import { countK3sFailures } from "../../src/core/k3s-failures.js";
import { stampObservations } from "../../src/core/observe.js";
import type { K3sFailures } from "../../src/core/types.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, sec, unit, with_ } from "./builders.js";

const policy = parseConfig({});
const none: K3sFailures = { at: [], restarts: 4, unitOk: true, ups: [T0 - min(8)], seenNotCounted: 0 };
const look = (over: Parameters<typeof unit>[0]) => stampObservations(null, with_({ k3sUnit: unit(over) }), T0).k3sUnit;
const crashed = { activeState: "failed", subState: "failed", result: "exit-code" };

describe("counting k3s's failures", () => {
  it.each([
    ["a crash the daemon sees (active, then failed with exit-code) is one failure", none, crashed, 1, 4],
    ["NRestarts going up by 3 between two looks is three failures", { ...none, unitOk: false }, { activeState: "activating", subState: "start", restarts: 7 }, 3, 7],
    ["a seen crash that NRestarts counts later is not counted twice", { ...none, at: [T0 - sec(5)], unitOk: false, seenNotCounted: 1 }, { activeState: "activating", subState: "start", restarts: 5 }, 1, 5],
    ["a stop with Result success (the daemon's own restart, an operator) is no failure", none, { activeState: "deactivating", subState: "stop-sigterm", result: "success" }, 0, 4],
    ["NRestarts flushed to 0 (a manual start, a reboot) is a new base, not a failure", { ...none, restarts: 9 }, { restarts: 0 }, 0, 0],
    ["the first look sets the base", { ...none, restarts: null, unitOk: null }, { restarts: 12 }, 0, 12],
    ["failures older than the window are forgotten", { ...none, at: [T0 - min(11), T0 - min(9)] }, {}, 1, 4],
  ])("%s", (_title, prev, over, count, restarts) => {
    const out = countK3sFailures(policy, prev, look({ restarts: 4, ...over }), T0);
    expect(out.at).toHaveLength(count);
    expect(out.restarts).toBe(restarts);
  });

  it("a unit probe that cannot tell changes nothing but the window", () => {
    const blind = { ...look({}), status: "unknown" as const, detail: null };
    expect(countK3sFailures(policy, { ...none, at: [T0 - sec(1)] }, blind, T0)).toEqual({ ...none, at: [T0 - sec(1)] });
  });
});

describe("the flapping symptom", () => {
  const failures = (...ago: number[]): K3sFailures => ({ ...none, at: ago.map((a) => T0 - a) });
  it.each([
    ["3 failures in 10 minutes is flapping", failures(min(9), min(5), min(1)), [], "k3s failed 3 times in 10m"],
    ["2 failures is not", failures(min(5), min(1)), [], null],
    ["3 failures, but none since the last k3s restart: the restart answered them", failures(min(9), min(5), min(1)), [{ kind: "restart-k3s" as const, at: T0 - sec(30) }], null],
    ["a failure after the last restart, once k3s had come up again: flapping on", { ...failures(min(9), min(5), min(1)), ups: [T0 - min(90), T0 - min(1) - sec(30)] }, [{ kind: "restart-k3s" as const, at: T0 - min(2) }], "k3s failed 3 times in 10m"],
    ["failing starts right after the restart, k3s not yet up since: the restart is still answering them", { ...failures(min(9), min(5), min(1)), ups: [T0 - min(90)] }, [{ kind: "restart-k3s" as const, at: T0 - min(2) }], null],
    ["a registry restart is not a k3s remedy", failures(min(9), min(5), min(1)), [{ kind: "restart-registry" as const, at: T0 - sec(30) }], "k3s failed 3 times in 10m"],
  ])("%s", (_title, counted, actions, why) => {
    expect(findFlapping(policy, counted, actions, T0)?.why ?? null).toBe(why);
  });

  it("a failure stamped in the future (the clock went back) still counts", () => {
    expect(findFlapping(policy, failures(min(5), min(1), -min(3)), [], T0)?.why).toBe("k3s failed 3 times in 10m");
  });

  it("k3s up at this look: flapping, but not due until it fails again (no restart of a running k3s)", () => {
    const up = findFlapping(policy, failures(min(9), min(5), min(1)), [], T0, false);
    expect(up).toMatchObject({ symptom: "k3s-flapping", due: false, dueAt: T0 + min(1) });
    expect(findFlapping(policy, failures(min(9), min(5), min(1)), [], T0, true)).toMatchObject({ due: true, dueAt: T0 });
  });

  it("thresholds come from the config", () => {
    const strict = parseConfig({ flapping: { failures: 5, window: "30m" } });
    expect(findFlapping(strict, failures(min(20), min(15), min(9), min(5), min(1)), [], T0)?.why).toBe("k3s failed 5 times in 30m");
  });
});

describe("a k3s that crashes 20 s after every start", () => {
  // One cycle: 25 s starting, 20 s up, crash, 5 s auto-restart (NRestarts + 1).
  const cycle = sec(50);
  const readingAt = (t: number) => {
    const n = Math.floor((t - T0) / cycle);
    const into = (t - T0) % cycle;
    if (into < sec(25)) return with_({ k3sUnit: unit({ activeState: "activating", subState: "start", result: "success", inactiveExitAt: T0 + n * cycle, restarts: n }) });
    // Up: NRestarts stays at this attempt's count, as systemd keeps it.
    if (into < sec(45)) return with_({ k3sUnit: unit({ inactiveExitAt: T0 + n * cycle, activeEnterAt: T0 + n * cycle + sec(25), restarts: n }) });
    return with_({ k3sUnit: unit({ activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: n }) });
  };

  it("is flapping: restart once, killall once, gave-up once at err, and nothing more for an hour", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), readingAt);
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s", "killall-k3s"]);
    expect(node.announcements("err")).toEqual([expect.stringMatching(/^gave up on k3s-flapping: the ladder is spent .* and k3s failed \d+ times in 10m/)]);
    expect(node.state.phase).toBe("gave-up");
  });

  it("the operator reads how often k3s failed in how long; the restart comes at the third crash, between two attempts", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(5), readingAt);
    expect(node.remedies()[0]).toMatchObject({ at: T0 + 2 * cycle + sec(45), command: { kind: "restart-k3s", why: expect.stringMatching(/^k3s failed 3 times in 10m; rung 1 of 2 for k3s-flapping/) } });
  });

  it("never restarts k3s while it is up or inside a start attempt", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), readingAt);
    expect(node.remedies()).toHaveLength(2);
    for (const remedy of node.remedies()) expect((remedy.at - T0) % cycle).toBeGreaterThanOrEqual(sec(45));
  });
});
