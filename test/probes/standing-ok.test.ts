// A standing ok reading: news ends it, its bound ends it, and a step of the wall clock does neither.
import { describe, expect, it } from "vitest";
import { createStandingOk, NOT_STEADY, standsWhileSteady } from "../../src/probes/standing-ok.js";

function clocks() {
  const at = { wall: Date.UTC(2026, 2, 10, 12), mono: 5_000_000 };
  return { at, clock: { now: () => at.wall, monotonic: () => at.mono } };
}

describe("a standing ok reading", () => {
  it("stands for the rest of its bound, and not once news came or it was not ok", () => {
    const { at, clock } = clocks();
    const last = createStandingOk(clock, 60_000);
    expect(last.standsFor(0)).toBe(0);
    last.begin(0)(true);
    at.mono += 20_000;
    expect(last.standsFor(0)).toBe(40_000);
    expect(last.stands(0)).toBe(true);
    // A news count other than the one the read began with.
    expect(last.standsFor(1)).toBe(0);
    at.mono += 40_000;
    expect(last.standsFor(0)).toBe(0);
    expect(last.stands(0)).toBe(false);
    last.begin(0)(false);
    at.mono -= 1;
    expect(last.standsFor(0)).toBe(0);
  });

  it("ages on the monotonic clock: the wall clock stepping back an hour or forward a day changes nothing", () => {
    const { at, clock } = clocks();
    const last = createStandingOk(clock, 60_000);
    last.begin(0)(true);
    at.wall -= 3_600_000;
    at.mono += 30_000;
    expect(last.standsFor(0)).toBe(30_000);
    at.wall += 86_400_000;
    expect(last.standsFor(0)).toBe(30_000);
    at.mono += 30_000;
    expect(last.stands(0)).toBe(false);
  });

  it("on a clock with wall time alone, a reading from the future does not stand", () => {
    let wall = 1_000_000;
    const last = createStandingOk({ now: () => wall }, 60_000);
    last.begin(0)(true);
    wall -= 1;
    expect(last.standsFor(0)).toBe(0);
  });

  it("a watch cache's reading has no bound: it stands while the cache is steady and told nothing new", () => {
    const { clock } = clocks();
    const last = createStandingOk(clock, Infinity);
    let steady: number | null = 7;
    const cache = { steadyAt: () => steady };
    last.begin(cache.steadyAt() ?? NOT_STEADY)(true);
    expect(standsWhileSteady(cache, last)).toBe(Infinity);
    steady = 8;
    expect(standsWhileSteady(cache, last)).toBe(0);
    steady = null;
    expect(standsWhileSteady(cache, last)).toBe(0);
  });
});
