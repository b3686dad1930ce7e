// A quiet iteration rests, reading no probe and asking the core nothing, only while the node is
// plainly healthy, every probe says its ok reading stands, and the core's next wake-up has not come.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { mayRest } from "../../src/core/rest.js";
import { initialState } from "../../src/core/state.js";
import { PROBE_NAMES } from "../../src/core/types.js";
import { createLoop } from "../../src/daemon/loop.js";
import { fakeActions, fakeProbes, memoryLogger } from "./fakes.js";

const START = Date.UTC(2025, 10, 14, 10, 45);

function setUp() {
  const fake = fakeProbes();
  let reads = 0;
  let quiet = true;
  for (const name of PROBE_NAMES) {
    const probe = fake.probes[name];
    fake.probes[name] = { ...probe, read: (signal: AbortSignal) => (reads++, probe.read(signal)), quiet: () => quiet } as never;
  }
  let now = START;
  const loop = createLoop({ config: parseConfig({}), probes: fake.probes, actions: fakeActions().actions, logger: memoryLogger(), clock: { now: () => now }, bootId: "boot" });
  return {
    fake, loop,
    reads: () => reads,
    setQuiet: (value: boolean) => void (quiet = value),
    at: (ms: number) => (now = START + ms),
  };
}

describe("resting", () => {
  it("rests once the node is healthy: a tick reads nothing and the state stands; an event, or one probe with news, looks again", async () => {
    const run = setUp();
    // Boot to healthy: every probe ok for the healthy hold (1 min), ticks 5 s apart.
    let report = await run.loop.iterate(run.at(0), { quiet: true });
    for (let t = 5_000; run.loop.state().phase !== "healthy"; t += 5_000) report = await run.loop.iterate(run.at(t), { quiet: true });
    expect(report.rested).toBeUndefined();
    const readsAtHealthy = run.reads();
    const state = run.loop.state();
    const rest = await run.loop.iterate(run.at(120_000), { quiet: true });
    expect(rest.rested).toBe(true);
    expect(rest.probesRead).toBe(0);
    expect(rest.now).toBe(START + 120_000);
    expect(run.reads()).toBe(readsAtHealthy);
    expect(run.loop.state()).toBe(state);
    // An event woke it: every probe is read and the core steps.
    const woken = await run.loop.iterate(run.at(125_000), { quiet: false });
    expect(woken.rested).toBeUndefined();
    expect(run.reads()).toBe(readsAtHealthy + 7);
    // One probe with news (or past its bound): no rest.
    run.setQuiet(false);
    const looked = await run.loop.iterate(run.at(130_000), { quiet: true });
    expect(looked.rested).toBeUndefined();
    expect(run.reads()).toBe(readsAtHealthy + 14);
  });

  it("never rests before the node is healthy, nor when a reading is not ok, nor when told not to", async () => {
    const run = setUp();
    await run.loop.iterate(run.at(0), { quiet: true });
    const early = await run.loop.iterate(run.at(5_000), { quiet: true });
    expect(early.rested).toBeUndefined();
    for (let t = 10_000; run.loop.state().phase !== "healthy"; t += 5_000) await run.loop.iterate(run.at(t), { quiet: true });
    run.fake.readings = { ...run.fake.readings, registry: { status: "bad", reason: "the local registry is down", detail: { container: "exited", api: "down" } } };
    await run.loop.iterate(run.at(200_000), { quiet: false });
    const afterBad = await run.loop.iterate(run.at(205_000), { quiet: true });
    expect(afterBad.rested).toBeUndefined();
    expect(afterBad.probesRead).toBe(7);

    let now = START;
    const fake = fakeProbes();
    for (const name of PROBE_NAMES) fake.probes[name] = { ...fake.probes[name], quiet: () => true } as never;
    const never = createLoop({ config: parseConfig({}), probes: fake.probes, actions: fakeActions().actions, logger: memoryLogger(), clock: { now: () => now }, bootId: "boot", rests: false });
    for (let t = 0; t <= 180_000; t += 5_000) {
      now = START + t;
      expect((await never.iterate(now, { quiet: true })).rested).toBeUndefined();
    }
    expect(never.state().phase).toBe("healthy");
  });
});

describe("mayRest", () => {
  const healthy = { ...initialState(0, []), phase: "healthy" as const, healthySince: 0 };

  it("holds for a plainly healthy state before its wake-up", () => {
    expect(mayRest(healthy, null, 100_000)).toBe(true);
    expect(mayRest(healthy, 100_001, 100_000)).toBe(true);
  });

  it("fails at the wake-up, and with anything that runs out by itself", () => {
    expect(mayRest(healthy, 100_000, 100_000)).toBe(false);
    expect(mayRest({ ...healthy, phase: "waiting-for-k3s" }, null, 100_000)).toBe(false);
    expect(mayRest({ ...healthy, announced: { "crashloop:api": { firstSaidAt: 0, saidAt: 0, seenAt: 0 } } }, null, 100_000)).toBe(false);
    expect(mayRest({ ...healthy, podFirstSeen: { "uid:Terminating": 0 } }, null, 100_000)).toBe(false);
    expect(mayRest({ ...healthy, pause: { until: 200_000, reason: "maintenance" } }, null, 100_000)).toBe(false);
    expect(mayRest({ ...healthy, gaveUp: { symptom: "human-needed", at: 0, retryAt: null, why: "x" } }, null, 100_000)).toBe(false);
  });
});
