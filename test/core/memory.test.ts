// What survives a daemon restart: the ladder, its verification deadline, gave-up with its cooldown,
// the announced keys, the pod clocks and the flapping count.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { memoryOf, restoreMemory } from "../../src/core/memory.js";
import { initialState } from "../../src/core/state.js";
import type { CoreState } from "../../src/core/types.js";
import { T0, min, sec } from "./builders.js";

const policy = parseConfig({});
const saved: CoreState = {
  ...initialState(T0 - min(30)),
  phase: "gave-up",
  ladder: { symptom: "k3s-down", rung: 1, verifyUntil: T0 + min(2), startedAt: T0 - min(5), clearSince: null },
  gaveUp: { symptom: "k3s-down", at: T0 - min(1), retryAt: T0 + min(59), why: "the ladder is spent" },
  announced: { "gave-up:k3s-down": { firstSaidAt: T0 - min(1), saidAt: T0 - min(1), seenAt: T0 - sec(5) } },
  podFirstSeen: { "uid-a:unknown": T0 - min(1) },
  k3sFailures: { at: [T0 - min(3)], restarts: 9, unitOk: false, ups: [T0 - min(4)], seenNotCounted: 0, startSeenAt: null, lastSubState: "auto-restart" },
};
const fresh = initialState(T0);
const stored = JSON.parse(JSON.stringify(memoryOf(saved))) as unknown;

describe("restoring the core's memory", () => {
  it("the same boot, no clock step: everything is back as it was", () => {
    const { state } = restoreMemory(policy, fresh, stored, { sameBoot: true, shift: 0, now: T0 });
    expect(memoryOf(state)).toEqual(memoryOf(saved));
    expect(state.phase).toBe("gave-up");
  });

  it("the same boot after the wall clock stepped 30 minutes back: every time moves with the monotonic clock, keys stay", () => {
    const shift = -min(30);
    const { state } = restoreMemory(policy, fresh, stored, { sameBoot: true, shift, now: T0 + shift });
    expect(state.ladder).toMatchObject({ rung: 1, verifyUntil: T0 + min(2) + shift });
    expect(state.gaveUp).toMatchObject({ at: T0 - min(1) + shift, retryAt: T0 + min(59) + shift });
    expect(Object.keys(state.announced)).toEqual(["gave-up:k3s-down"]);
    expect(state.podFirstSeen).toEqual({ "uid-a:unknown": T0 - min(1) + shift });
  });

  it("another boot: gave-up, its cooldown and the announced keys are kept; the ladder and the pod clocks start again", () => {
    const { state } = restoreMemory(policy, fresh, stored, { sameBoot: false, shift: 0, now: T0 + min(5) });
    expect(state.gaveUp).toMatchObject({ symptom: "k3s-down", retryAt: T0 + min(59) });
    expect(state.ladder).toBeNull();
    expect(state.podFirstSeen).toEqual({});
    expect(state.k3sFailures).toMatchObject({ at: [T0 - min(3)], restarts: null, ups: [] });
    expect(Object.keys(state.announced)).toEqual(["gave-up:k3s-down"]);
  });

  it("another boot whose clock is far behind: times 'in the future' count as now, and the cooldown is no longer than a cooldown", () => {
    const early = T0 - 365 * 86_400_000;
    const { state } = restoreMemory(policy, fresh, stored, { sameBoot: false, shift: 0, now: early });
    expect(state.gaveUp).toMatchObject({ at: early, retryAt: early + policy.timing.gaveUpCooldown });
    expect(state.k3sFailures.at).toEqual([early]);
  });

  it.each([
    ["not an object", 42],
    ["a ladder for a symptom this release does not know", { ...memoryOf(saved), ladder: { ...saved.ladder, symptom: "k3s-on-fire" } }],
    ["a time that is not a number", { ...memoryOf(saved), gaveUp: { ...saved.gaveUp, at: "yesterday" } }],
  ])("a memory of unknown shape (%s) is not restored, and says so", (_title, bad) => {
    const { state, notes } = restoreMemory(policy, fresh, bad, { sameBoot: true, shift: 0, now: T0 });
    expect(state).toEqual(fresh);
    expect(notes).toEqual([expect.stringMatching(/unknown shape: starting fresh/)]);
  });
});
