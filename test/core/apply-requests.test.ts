// Stage applyRequests: pause and resume apply to this very step; a pause ends by itself.
import { describe, expect, it } from "vitest";
import { applyRequests } from "../../src/core/apply-requests.js";
import { T0, min } from "./builders.js";

const calm = { phase: "healthy" as const, pause: null, gaveUp: null, ladder: null, beforePause: null };
const ladder = { symptom: "k3s-down" as const, rung: 1, verifyUntil: T0, startedAt: T0 - min(10), clearSince: null };
const gaveUp = { symptom: "k3s-down" as const, at: T0 - min(5), retryAt: T0 + min(55), why: "the ladder is spent" };

describe("operator requests", () => {
  it.each([
    ["a pause asked for now is in force this step, remembering the phase it interrupts", calm, [{ kind: "pause" as const, until: T0 + min(30), reason: "kernel upgrade" }], { pause: { until: T0 + min(30), reason: "kernel upgrade" }, beforePause: "healthy" }],
    ["a resume ends the pause, the gave-up state and the ladder", { ...calm, phase: "gave-up" as const, pause: { until: T0 + min(30), reason: "x" }, gaveUp, ladder, beforePause: "gave-up" as const }, [{ kind: "resume" as const, reason: "fixed by hand" }], { pause: null, gaveUp: null, ladder: null, beforePause: null }],
    ["a pause past its end expires by itself", { ...calm, pause: { until: T0, reason: "x" }, beforePause: "healthy" as const }, [], { pause: null, beforePause: null }],
    ["a pause before its end stays", { ...calm, pause: { until: T0 + 1, reason: "x" }, beforePause: "healthy" as const }, [], { pause: { until: T0 + 1, reason: "x" }, beforePause: "healthy" }],
    ["no request changes nothing", { ...calm, gaveUp, ladder }, [], { gaveUp, ladder, pause: null }],
  ])("%s", (_title, prev, requests, expected) => {
    expect(applyRequests(prev, requests, T0)).toMatchObject(expected);
  });

  it("a second pause replaces the first and keeps the phase the first one interrupted", () => {
    const paused = { ...calm, phase: "paused" as const, pause: { until: T0 + min(5), reason: "a" }, beforePause: "healthy" as const };
    const out = applyRequests(paused, [{ kind: "pause", until: T0 + min(60), reason: "b" }], T0);
    expect(out).toMatchObject({ pause: { until: T0 + min(60), reason: "b" }, beforePause: "healthy" });
  });
});
