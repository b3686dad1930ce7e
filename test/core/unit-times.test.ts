// When k3s's start attempt began: its process's start, or the moment the daemon saw SubState become
// `start`, on the monotonic clock within a boot; never InactiveExitTimestamp alone.
import { describe, expect, it } from "vitest";
import { unitTimes } from "../../src/core/unit-times.js";
import type { K3sUnitDetail } from "../../src/core/types.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, sec, unit, with_ } from "./builders.js";

const starting = (over: Partial<K3sUnitDetail>): K3sUnitDetail => ({ activeState: "activating", subState: "start", result: "success", inactiveExitAt: null, activeEnterAt: null, restarts: 1, ...over });
// The node booted 1000 s before T0: CLOCK_MONOTONIC reads 1000 s at T0.
const MONO_AT_T0 = sec(1000);
const mono = (ago: number) => MONO_AT_T0 - ago;

describe("the start attempt's age", () => {
  it.each([
    ["after a crash: from the process's start, 5 s (RestartSec) after InactiveExitTimestamp", starting({ inactiveExitMono: mono(sec(88) + sec(5)), execMainStartMono: mono(sec(88)) }), null, T0 - sec(88)],
    ["under RestartMode=direct InactiveExitTimestamp is the boot's first start: the process's start counts", starting({ inactiveExitMono: mono(min(60)), execMainStartMono: mono(sec(20)) }), null, T0 - sec(20)],
    ["in start-pre, ExecMainStart is still the last attempt's: the moment the daemon saw SubState become start counts", starting({ subState: "start-pre", inactiveExitMono: mono(min(60)), execMainStartMono: mono(min(10)) }), T0 - sec(3), T0 - sec(3)],
    ["only wall stamps (no monotonic twins): the wall stamp, on the core's time", starting({ inactiveExitAt: T0 - sec(30) }), null, T0 - sec(30)],
    ["no stamp at all: unknown", starting({}), null, null],
  ])("%s", (_title, detail, startSeenAt, attemptAt) => {
    expect(unitTimes(detail, T0, { monotonic: MONO_AT_T0, wallNow: T0 }, startSeenAt).attemptAt).toBe(attemptAt);
  });

  it("a +2h step of the wall clock does not age a start measured on the monotonic clock", () => {
    const detail = starting({ inactiveExitAt: T0 - sec(10), inactiveExitMono: mono(sec(10)), execMainStartAt: T0 - sec(10), execMainStartMono: mono(sec(10)) });
    // The core's time still reads T0 (it is monotonic underneath); the wall clock reads T0 + 2h.
    expect(unitTimes(detail, T0, { monotonic: MONO_AT_T0, wallNow: T0 + 2 * 3_600_000 }, null).attemptAt).toBe(T0 - sec(10));
  });

  it("wall stamps are aged against the wall clock, so a step made before they were taken changes nothing", () => {
    expect(unitTimes(starting({ inactiveExitAt: T0 + 2 * 3_600_000 - sec(10) }), T0, { wallNow: T0 + 2 * 3_600_000 }, null).attemptAt).toBe(T0 - sec(10));
  });

  it("when it last became active, on the monotonic clock", () => {
    expect(unitTimes(unit({ activeEnterAt: T0 - 1, activeEnterMono: mono(min(3)) }).detail!, T0, { monotonic: MONO_AT_T0 }, null).activeAt).toBe(T0 - min(3));
  });
});

describe("never interrupt a start attempt within its budget", () => {
  it("a start that takes 88 s after a crash, with a 90 s budget, is not killed", () => {
    const node = new FakeNode(T0);
    const crashed = with_({ k3sUnit: unit({ activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: 1, inactiveExitAt: T0, inactiveExitMono: MONO_AT_T0 }) });
    const startingNow = with_({ k3sUnit: unit({ activeState: "activating", subState: "start", result: "success", restarts: 2, inactiveExitAt: T0, inactiveExitMono: MONO_AT_T0, execMainStartAt: T0 + sec(5), execMainStartMono: MONO_AT_T0 + sec(5) }) });
    node.tick(T0 - sec(5), healthy(), []);
    for (let t = T0; t <= T0 + sec(92); t += sec(1)) node.stepAt(t, t < T0 + sec(5) ? crashed : startingNow, MONO_AT_T0 + (t - T0));
    expect(node.remedies()).toEqual([]);
    node.stepAt(T0 + sec(93), healthy(), MONO_AT_T0 + sec(93));
    expect(node.remedies()).toEqual([]);
  });

  it("the same start stuck past its budget, counted from the process's start, is restarted", () => {
    const node = new FakeNode(T0);
    const stuck = with_({ k3sUnit: unit({ activeState: "activating", subState: "start", result: "success", restarts: 2, inactiveExitAt: T0, inactiveExitMono: MONO_AT_T0, execMainStartAt: T0 + sec(5), execMainStartMono: MONO_AT_T0 + sec(5) }) });
    for (let t = T0; t <= T0 + sec(96); t += sec(1)) node.stepAt(t, stuck, MONO_AT_T0 + (t - T0));
    expect(node.remedies().map((e) => e.at)).toEqual([T0 + sec(95)]);
  });
});
