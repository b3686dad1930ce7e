// Stage nextWake: the earliest moment the decision could change with no new observation.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { nextWake, type WakeSources } from "../../src/core/next-wake.js";
import { T0, min, sec } from "./builders.js";

const policy = parseConfig({});
const quiet: WakeSources = { podWakes: [], findings: [], progress: { phase: "healthy", allOk: true, cannotTell: [] }, ladder: null, pause: null, gaveUp: null, healthySince: null, podsSlowAt: null };

describe("waking up", () => {
  it.each([
    ["nothing pending: no wake-up", quiet, null],
    ["a k3s hold-off running out in 20 s", { ...quiet, findings: [{ symptom: "k3s-down" as const, since: T0, due: false, dueAt: T0 + sec(20), why: "" }] }, T0 + sec(20)],
    ["a verification window before a pod hold-off", { ...quiet, podWakes: [T0 + min(3)], ladder: { symptom: "k3s-down" as const, rung: 0, verifyUntil: T0 + min(2), startedAt: T0, clearSince: null } }, T0 + min(2)],
    ["a pause ending", { ...quiet, pause: { until: T0 + min(30), reason: "x" } }, T0 + min(30)],
    ["the healthy hold running out", { ...quiet, healthySince: T0 - sec(50) }, T0 + sec(10)],
    ["times already past are not wake-ups", { ...quiet, podWakes: [T0 - 1, T0] }, null],
  ])("%s", (_title, sources, expected) => {
    expect(nextWake(policy, sources, T0)).toBe(expected);
  });
});
