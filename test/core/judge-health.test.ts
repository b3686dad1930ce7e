// Stage judgeHealth: healthy must hold for the healthy hold; a blind probe is reported after its hold-off.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { judgeHealth } from "../../src/core/judge-health.js";
import { stampObservations } from "../../src/core/observe.js";
import { T0, healthy, min, reading, sec, with_ } from "./builders.js";

const policy = parseConfig({});
const prev = { healthySince: null, phase: "pods-converging" as const, phaseSince: T0 };

describe("health and hysteresis", () => {
  it.each([
    ["every layer ok for the first time: healthy since now, not yet held", healthy(), null, T0, { healthySince: T0, healthyHeld: false }],
    ["every layer ok for a minute: held", healthy(), T0 - min(1), T0, { healthySince: T0 - min(1), healthyHeld: true }],
    ["the API down: not healthy, the clock resets", with_({ api: reading("bad", { httpStatus: 500 }) }), T0 - min(5), T0, { healthySince: null, healthyHeld: false }],
    ["a probe that cannot tell keeps the clock where it was", with_({ api: reading("unknown", null) }), T0 - min(5), T0, { healthySince: T0 - min(5), healthyHeld: false }],
  ])("%s", (_title, readings, healthySince, now, expected) => {
    const obs = stampObservations(null, readings, now);
    expect(judgeHealth(policy, { ...prev, healthySince }, obs, now)).toMatchObject(expected);
  });

  it("a probe blind for the k3s hold-off is reported as such, and never before", () => {
    const obs = stampObservations(null, with_({ registry: reading("unknown", null, "docker socket: permission denied") }), T0);
    expect(judgeHealth(policy, prev, obs, T0 + sec(29)).announcements).toEqual([]);
    expect(judgeHealth(policy, prev, obs, T0 + sec(30)).announcements[0]?.message).toMatch(/probe registry cannot tell for 30s: docker socket: permission denied/);
  });

  it("pods converging for 5 minutes are reported as slow", () => {
    const obs = stampObservations(null, with_({ pods: reading("bad", { pods: [] }, "3 of 14 pods not ready") }), T0);
    expect(judgeHealth(policy, prev, obs, T0 + min(5)).announcements.map((a) => a.message)).toEqual([expect.stringMatching(/pods have not converged in 5m/)]);
    expect(judgeHealth(policy, prev, obs, T0 + min(4)).announcements).toEqual([]);
  });
});
