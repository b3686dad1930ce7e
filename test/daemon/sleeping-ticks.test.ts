// The scheduler sleeps through the ticks at which the loop would only rest. Proven here on the real
// loop and scheduler with fake timers: a node run with the sleep and the same node run with every
// tick read the same probes at the same moments and take the same remedies, and the sleeping one
// wakes a fraction as often; systemd's watchdog is fed all along.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { PROBE_NAMES, type ProbeName } from "../../src/core/types.js";
import { createLoop, type Loop } from "../../src/daemon/loop.js";
import { REST_MARGIN_MS, startScheduler, type Scheduler } from "../../src/daemon/scheduler.js";
import { createStandingOk } from "../../src/probes/standing-ok.js";
import { fakeActions, fakeProbes, memoryLogger } from "./fakes.js";

const START = Date.UTC(2026, 2, 10, 12);
// The real probes' bounds: a watch cache's reading has none, the registry's is 5 min.
const BOUNDS: Record<ProbeName, number> = {
  k3sUnit: 60_000, containerdSocket: 60_000, api: 60_000, nodes: Infinity, pods: Infinity, registry: 300_000, k3sLog: 1_800_000,
};

interface Run {
  reads: string[];
  /** What each looking iteration saw: when, the phase, and the registry's status. */
  looks: string[];
  iterations: number;
  remedies: string[];
  aliveAlways: boolean;
}

let scheduler: Scheduler | null = null;
afterEach(async () => {
  await scheduler?.stop(1_000);
  scheduler = null;
  vi.useRealTimers();
});

/**
 * 15 minutes of a node: healthy, then at 6 min the registry goes down with nothing telling (found
 * at its 5 min bound), back at 13 min, and at 11 min k3s's unit changes (news, and a wake-up).
 */
async function runNode(sleeps: boolean): Promise<Run> {
  vi.useFakeTimers({ now: START, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
  const clock = { now: () => Date.now(), monotonic: () => performance.now() };
  const fake = fakeProbes();
  const reads: string[] = [];
  const news: Record<string, number> = {};
  for (const name of PROBE_NAMES) {
    const probe = fake.probes[name];
    const lastOk = createStandingOk(clock, BOUNDS[name]);
    news[name] = 0;
    fake.probes[name] = {
      ...probe,
      read: async (signal: AbortSignal) => {
        const done = lastOk.begin(news[name]!);
        const reading = await probe.read(signal);
        reads.push(`${name}@${Date.now() - START}`);
        done(reading.status === "ok");
        return reading;
      },
      quiet: () => lastOk.stands(news[name]!),
      standsFor: () => lastOk.standsFor(news[name]!),
    } as never;
  }
  const actions = fakeActions();
  const looks: string[] = [];
  const real = createLoop({
    config: parseConfig({}), probes: fake.probes, actions: actions.actions, logger: memoryLogger(), clock, bootId: "boot",
    notifications: (report) => void (report.rested ? undefined : looks.push(`${report.now - START}:${report.phase}:registry ${report.observations.registry.status}`)),
  });
  // The ticking run: the same loop, its reports saying the next iteration always looks.
  const loop: Loop = sleeps ? real : { ...real, iterate: async (now, cause) => ({ ...(await real.iterate(now, cause)), restsForMs: 0 }) };
  scheduler = startScheduler({ loop, clock, logger: memoryLogger(), tickMs: 5_000, probeTimeoutMs: 5_000 });
  let aliveAlways = true;
  const at = async (ms: number, then?: () => void) => {
    while (Date.now() - START < ms) {
      await vi.advanceTimersByTimeAsync(1_000);
      aliveAlways &&= scheduler!.alive();
    }
    then?.();
  };
  const registry = fake.readings.registry;
  await at(6 * 60_000, () => void (fake.readings = { ...fake.readings, registry: { status: "bad", reason: "the local registry is down", detail: { container: "exited", api: "down" } } }));
  await at(11 * 60_000, () => {
    news.k3sUnit!++;
    scheduler!.wake("k3s.service or its D-Bus connection changed");
  });
  await at(13 * 60_000, () => void (fake.readings = { ...fake.readings, registry }));
  await at(15 * 60_000);
  return { reads, looks, iterations: real.lastIteration()!.count, remedies: actions.calls.map((call) => call.kind), aliveAlways };
}

describe("sleeping through resting ticks", () => {
  it("reads every probe at the same moments, and acts the same, as a loop woken at every tick", async () => {
    const ticking = await runNode(false);
    await scheduler!.stop(1_000);
    scheduler = null;
    vi.useRealTimers();
    const sleeping = await runNode(true);
    expect(sleeping.reads).toEqual(ticking.reads);
    expect(sleeping.looks).toEqual(ticking.looks);
    expect(sleeping.remedies).toEqual(ticking.remedies);
    // The registry, down at 6 min with nothing telling, was found in both at its 5 min bound from
    // the read at 5 min (the first look after the healthy one at 1 min read it then too).
    expect(ticking.looks.find((look) => look.endsWith("registry bad"))).toMatch(/^600050:/);
    expect(ticking.looks.find((look) => look.startsWith("780050:"))).toMatch(/registry ok$/);
    // k3s's unit change at 11 min was looked at 50 ms later in both.
    expect(ticking.looks.some((look) => look.startsWith(`${11 * 60_000 + 50}:`))).toBe(true);
    // 15 min at a 5 s tick: 180 ticks; sleeping, the healthy node wakes about once a minute.
    expect(ticking.iterations).toBeGreaterThanOrEqual(180);
    expect(sleeping.iterations).toBeLessThan(ticking.iterations / 3);
    expect(sleeping.aliveAlways).toBe(true);
    expect(ticking.aliveAlways).toBe(true);
  });

  it("a healthy node wakes for the first tick at which a reading could need a look, not before", async () => {
    vi.useFakeTimers({ now: START, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
    const woke: number[] = [];
    let restsForMs = 0;
    const loop = {
      iterate: async (now: number) => {
        woke.push(now - START);
        return { outcomes: [], wakeAt: null, restsForMs } as never;
      },
      inFlight: () => null,
    } as unknown as Loop;
    scheduler = startScheduler({ loop, clock: { now: () => Date.now(), monotonic: () => performance.now() }, logger: memoryLogger(), tickMs: 5_000, probeTimeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(12_000);
    // Not resting: the start, then every tick (each 50 ms after it, the debounce).
    expect(woke).toEqual([50, 5_050, 10_050]);
    // From the 10 s tick every reading stands 60 s: ticks before 70.05 s less the margin are slept.
    restsForMs = 60_000;
    await vi.advanceTimersByTimeAsync(3_100); // the 15 s tick runs (planned before the rest was said) and says it
    restsForMs = 0;
    await vi.advanceTimersByTimeAsync(80_000);
    const afterRest = woke.filter((t) => t > 15_050);
    // The 15.05 s iteration said 60 s: the first tick whose iteration begins within the margin of 75.05 s is 75 s.
    expect(woke).toContain(15_050);
    expect(afterRest[0]).toBe(75_050);
    expect(75_050 - 15_050 - REST_MARGIN_MS).toBeLessThan(60_000);
    // An event wakes it whatever the timer says.
    restsForMs = 60_000;
    await vi.advanceTimersByTimeAsync(5_000);
    const before = woke.length;
    scheduler.wake("pod songnodes/web-0 modified");
    await vi.advanceTimersByTimeAsync(100);
    expect(woke.length).toBe(before + 1);
  });
});

describe("a failed iteration ends the sleep", () => {
  it("after an iteration that throws, the next tick runs", async () => {
    vi.useFakeTimers({ now: START, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
    const woke: number[] = [];
    let throwNext = false;
    const loop = {
      iterate: async (now: number) => {
        woke.push(now - START);
        if (throwNext) throw new Error("the journal is locked");
        return { outcomes: [], wakeAt: null, restsForMs: 60_000 } as never;
      },
      inFlight: () => null,
    } as unknown as Loop;
    scheduler = startScheduler({ loop, clock: { now: () => Date.now(), monotonic: () => performance.now() }, logger: memoryLogger(), tickMs: 5_000, probeTimeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    // The start said 60 s: nothing before the 60 s tick.
    expect(woke).toEqual([50]);
    throwNext = true;
    scheduler.wake("pod songnodes/web-0 modified");
    await vi.advanceTimersByTimeAsync(100);
    expect(woke).toEqual([50, 1_050]);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(woke).toEqual([50, 1_050, 5_050, 10_050]);
  });
});

describe("alive() while the timer sleeps", () => {
  const clock = () => ({ now: () => Date.now(), monotonic: () => performance.now() });

  it("stays true through a planned sleep of a minute, and turns false once iterations stop completing", async () => {
    vi.useFakeTimers({ now: START, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
    let hanging = false;
    const loop = {
      iterate: async () => ({ outcomes: [], wakeAt: null, restsForMs: 60_000 }) as never,
      inFlight: () => null,
    } as unknown as Loop;
    scheduler = startScheduler({ loop, clock: clock(), logger: memoryLogger(), tickMs: 5_000, probeTimeoutMs: 5_000, hang: () => hanging });
    // The test hook keeps every tick: the loop is asked every 5 s, and alive() holds.
    for (let s = 0; s < 30; s++) {
      await vi.advanceTimersByTimeAsync(1_000);
      expect(scheduler.alive()).toBe(true);
    }
    // The loop hangs (the hook): the timer goes on firing, but no iteration completes. Dead within
    // 3 ticks and a probe timeout (20 s) after the last completed one.
    hanging = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.alive()).toBe(false);
    // The hung iteration never ends: stop waits out its grace on the real clock.
    vi.useRealTimers();
    await scheduler.stop(10);
    scheduler = null;
  });

  it("a loop sleeping a minute between looks is alive all along", async () => {
    vi.useFakeTimers({ now: START, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
    const woke: number[] = [];
    const loop = {
      iterate: async (now: number) => (woke.push(now - START), { outcomes: [], wakeAt: null, restsForMs: 60_000 }) as never,
      inFlight: () => null,
    } as unknown as Loop;
    scheduler = startScheduler({ loop, clock: clock(), logger: memoryLogger(), tickMs: 5_000, probeTimeoutMs: 5_000 });
    for (let s = 0; s < 200; s++) {
      await vi.advanceTimersByTimeAsync(1_000);
      expect(scheduler.alive()).toBe(true);
    }
    // Woken at the start and then about once a minute: the sleep really happened.
    expect(woke.length).toBeLessThanOrEqual(5);
  });
});
