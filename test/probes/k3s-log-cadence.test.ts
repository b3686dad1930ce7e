// The k3s log is read at every iteration while k3s is in trouble, and once a minute while it is quiet.
import { describe, expect, it } from "vitest";
import type { K3sLogDetail, K3sUnitDetail, Reading } from "../../src/core/types.js";
import type { Probe } from "../../src/ports.js";
import { readK3sLogWhenItCanMatter } from "../../src/probes/k3s-log-cadence.js";

const REFRESH = 60_000;
const clean: Reading<K3sLogDetail> = { status: "ok", reason: "no containerd damage in the k3s log", detail: null as unknown as K3sLogDetail };
const damaged: Reading<K3sLogDetail> = { status: "bad", reason: "containerd metadata is corrupt", detail: null as unknown as K3sLogDetail };

function unitReading(status: "ok" | "bad", inactiveExitAt: number): Reading<K3sUnitDetail> {
  return { status, reason: `k3s.service is ${status === "ok" ? "active" : "activating"}`, detail: { inactiveExitAt } as K3sUnitDetail };
}

function setup() {
  const world = { now: 1_000_000, reads: 0, log: clean, unit: unitReading("ok", 5_000) as Reading<K3sUnitDetail> | null, unitStands: true };
  const inner: Probe<K3sLogDetail> = {
    name: "k3sLog",
    read: async () => {
      world.reads += 1;
      return world.log;
    },
  };
  const probe = readK3sLogWhenItCanMatter(inner, { clock: { now: () => world.now }, refreshMs: REFRESH, unit: async () => world.unit, unitStandsFor: () => (world.unitStands ? 30_000 : 0) });
  const read = () => probe.read(new AbortController().signal);
  return { world, read, probe };
}

describe("k3s log cadence", () => {
  it("an active k3s in the same start attempt has its log read once a minute, not every tick", async () => {
    const { world, read } = setup();
    for (let t = 0; t < 12; t++) {
      expect(await read()).toBe(clean);
      world.now += 5_000;
    }
    expect(world.reads).toBe(1);
    await read();
    expect(world.reads).toBe(2);
  });

  it("k3s not active: the log is read at every iteration", async () => {
    const { world, read } = setup();
    await read();
    world.unit = unitReading("bad", 5_000);
    for (let t = 0; t < 3; t++) {
      world.now += 1_000;
      await read();
    }
    expect(world.reads).toBe(4);
  });

  it("a new start attempt (k3s restarted between two iterations) is read at once", async () => {
    const { world, read } = setup();
    await read();
    world.now += 1_000;
    world.unit = unitReading("ok", 900_000);
    world.log = damaged;
    expect(await read()).toBe(damaged);
    expect(world.reads).toBe(2);
  });

  it("damage found is read again at every iteration, so its repair shows at once", async () => {
    const { world, read } = setup();
    world.log = damaged;
    await read();
    world.log = clean;
    world.now += 1_000;
    expect(await read()).toBe(clean);
    expect(world.reads).toBe(2);
  });

  it("no unit reading yet, or a clock that went back: the log is read", async () => {
    const { world, read } = setup();
    world.unit = null;
    await read();
    await read();
    expect(world.reads).toBe(2);
    world.unit = unitReading("ok", 5_000);
    await read();
    world.now -= 10_000;
    await read();
    expect(world.reads).toBe(4);
  });

  it("quiet(): an ok reading stands until the refresh is due, and only while the unit's reading stands too", async () => {
    const { world, read, probe } = setup();
    expect(probe.quiet?.()).toBe(false);
    await read();
    expect(probe.quiet?.()).toBe(true);
    world.unitStands = false;
    expect(probe.quiet?.()).toBe(false);
    world.unitStands = true;
    world.now += REFRESH - 1;
    expect(probe.quiet?.()).toBe(true);
    world.now += 1;
    expect(probe.quiet?.()).toBe(false);
    world.log = damaged;
    await read();
    expect(probe.quiet?.()).toBe(false);
  });

  it("standsFor(): the shorter of the unit's standing and the time to the refresh", async () => {
    const { world, read, probe } = setup();
    expect(probe.standsFor?.()).toBe(0);
    await read();
    // The unit's reading stands 30 s (the fake), the refresh is further: the unit's bound wins.
    expect(probe.standsFor?.()).toBe(30_000);
    world.now += REFRESH - 10_000;
    expect(probe.standsFor?.()).toBe(10_000);
    world.unitStands = false;
    expect(probe.standsFor?.()).toBe(0);
  });
});
