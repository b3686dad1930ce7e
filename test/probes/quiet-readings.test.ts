// When a probe's ok reading may stand without looking again, and when the loop lets it: only in an
// iteration the tick alone woke, after one where every probe read ok, for a probe whose own news
// source told of no change, within its re-check bound. A bad or unknown reading is always read again.
import { describe, expect, it } from "vitest";
import { createLoop } from "../../src/daemon/loop.js";
import { readProbes } from "../../src/daemon/read-probes.js";
import type { KubeClient, WatchState } from "../../src/kube/client.js";
import type { RawAnswer } from "../../src/kube/raw-get.js";
import { API_QUIET_RECHECK_MS, createApiReadyProbe } from "../../src/probes/api-ready.js";
import { createK3sUnitProbe, UNIT_QUIET_RECHECK_MS } from "../../src/probes/k3s-unit.js";
import type { Systemd, UnitProperties } from "../../src/ports.js";
import { parseConfig } from "../../src/config/load.js";
import { fakeActions, fakeProbes, memoryLogger } from "../daemon/fakes.js";

const signal = () => new AbortController().signal;

/** A KubeClient whose /readyz answers what the test says and whose watches the test opens and breaks. */
function fakeKube() {
  const state: WatchState = { open: 0, disturbances: 0 };
  const fake = {
    answer: { httpStatus: 200, body: "ok", error: null, timedOut: false } as RawAnswer,
    readyz: 0,
    state,
    client: {
      get: async () => {
        fake.readyz++;
        return fake.answer;
      },
      watchState: () => ({ ...state }),
      onTrouble: () => () => {},
    } as unknown as KubeClient,
  };
  return fake;
}

describe("the API probe lets a ready /readyz stand while the watches' connections hold", () => {
  it("stands while a watch is open and none ended since; a watch that ends, or the bound, makes it look again", async () => {
    let now = 0;
    const kube = fakeKube();
    const probe = createApiReadyProbe({ client: kube.client, clock: { now: () => now } });
    expect(probe.quiet!()).toBe(false);
    kube.state.open = 2;
    expect((await probe.read(signal())).status).toBe("ok");
    expect(probe.quiet!()).toBe(true);
    now = API_QUIET_RECHECK_MS - 1;
    expect(probe.quiet!()).toBe(true);
    now = API_QUIET_RECHECK_MS;
    expect(probe.quiet!()).toBe(false);
    await probe.read(signal());
    expect(probe.quiet!()).toBe(true);
    kube.state.disturbances++;
    expect(probe.quiet!()).toBe(false);
    await probe.read(signal());
    kube.state.open = 0;
    expect(probe.quiet!()).toBe(false);
  });

  it("a /readyz that was not ready (or could not be judged) never stands", async () => {
    const kube = fakeKube();
    kube.state.open = 2;
    const probe = createApiReadyProbe({ client: kube.client, clock: { now: () => 0 } });
    kube.answer = { httpStatus: 500, body: "[-]etcd failed: reason withheld\n", error: null, timedOut: false };
    expect((await probe.read(signal())).status).toBe("bad");
    expect(probe.quiet!()).toBe(false);
    kube.answer = { httpStatus: null, body: "", error: "no answer within 5 s", timedOut: true };
    expect((await probe.read(signal())).status).toBe("unknown");
    expect(probe.quiet!()).toBe(false);
  });

  it("a watch that ends while /readyz is in flight counts: the answer does not stand", async () => {
    const kube = fakeKube();
    kube.state.open = 2;
    const get = kube.client.get;
    kube.client.get = async (...args) => {
      kube.state.disturbances++;
      return get(...args);
    };
    const probe = createApiReadyProbe({ client: kube.client, clock: { now: () => 0 } });
    await probe.read(signal());
    expect(probe.quiet!()).toBe(false);
  });
});

describe("the k3s unit probe lets an active unit's reading stand until its PropertiesChanged", () => {
  const active: UnitProperties = { activeState: "active", subState: "running", result: "success", inactiveExitAt: 1, activeEnterAt: 2, restarts: 0 };

  function fakeSystemd() {
    const listeners = new Set<() => void>();
    const fake = {
      props: active,
      reads: 0,
      changed: () => listeners.forEach((listener) => listener()),
      systemd: {
        unitProperties: async () => {
          fake.reads++;
          return fake.props;
        },
        onUnitChange: (_unit: string, listener: () => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      } as unknown as Systemd,
    };
    return fake;
  }

  it("stands only while watched, until a change or the loss of the bus, and within the bound", async () => {
    let now = 0;
    const bus = fakeSystemd();
    const probe = createK3sUnitProbe({ systemd: bus.systemd, unit: "k3s.service", clock: { now: () => now } });
    await probe.read(signal());
    expect(probe.quiet!()).toBe(false);
    const wakes: string[] = [];
    const off = probe.watch!((why) => wakes.push(why));
    await probe.read(signal());
    expect(probe.quiet!()).toBe(true);
    bus.changed();
    expect(wakes).toEqual(["k3s.service or its D-Bus connection changed"]);
    expect(probe.quiet!()).toBe(false);
    await probe.read(signal());
    now = UNIT_QUIET_RECHECK_MS;
    expect(probe.quiet!()).toBe(false);
    await probe.read(signal());
    expect(probe.quiet!()).toBe(true);
    off();
    expect(probe.quiet!()).toBe(false);
  });

  it("a unit that is not active, or a bus that cannot be read, never stands", async () => {
    const bus = fakeSystemd();
    const probe = createK3sUnitProbe({ systemd: bus.systemd, unit: "k3s.service", clock: { now: () => 0 } });
    probe.watch!(() => {});
    bus.props = { ...active, activeState: "activating", subState: "start" };
    expect((await probe.read(signal())).status).toBe("bad");
    expect(probe.quiet!()).toBe(false);
    bus.systemd.unitProperties = async () => {
      throw new Error("cannot reach systemd on the system bus: ENOENT");
    };
    expect((await probe.read(signal())).status).toBe("unknown");
    expect(probe.quiet!()).toBe(false);
  });
});

describe("a quiet iteration lets ok readings stand, and nothing else does", () => {
  it("readProbes reads a probe whose standing reading is not ok, whatever quiet() says", async () => {
    const fake = fakeProbes();
    const standing = { ...fake.readings, api: { status: "bad" as const, reason: "API not answering: connect ECONNREFUSED", detail: { httpStatus: null } } };
    let apiReads = 0;
    fake.probes.api = { ...fake.probes.api, quiet: () => true, read: async () => (apiReads++, fake.readings.api) };
    const stood = new Set<string>();
    const readings = await readProbes(fake.probes, 1_000, standing, stood);
    expect(apiReads).toBe(1);
    expect(stood.size).toBe(0);
    expect(readings.api.status).toBe("ok");
  });

  it("the loop lets a quiet probe's ok reading stand only in a tick-woken iteration after an all-ok one", async () => {
    const fake = fakeProbes();
    let apiReads = 0;
    fake.probes.api = { ...fake.probes.api, quiet: () => true, read: async () => (apiReads++, fake.readings.api) };
    let now = Date.UTC(2025, 10, 14, 10, 45);
    const loop = createLoop({ config: parseConfig({}), probes: fake.probes, actions: fakeActions().actions, logger: memoryLogger(), clock: { now: () => now }, bootId: "boot" });
    const first = await loop.iterate(now, { quiet: true });
    expect(apiReads).toBe(1);
    expect(first.probesRead).toBe(7);
    now += 5_000;
    const quiet = await loop.iterate(now, { quiet: true });
    expect(apiReads).toBe(1);
    expect(quiet.probesRead).toBe(6);
    expect(quiet.observations.api.status).toBe("ok");
    now += 5_000;
    await loop.iterate(now, { quiet: false });
    expect(apiReads).toBe(2);
    // Something else reads bad: the next tick reads every probe, the API included.
    fake.readings = { ...fake.readings, registry: { status: "bad", reason: "the local registry is down", detail: { container: "exited", api: "down" } } };
    now += 5_000;
    await loop.iterate(now, { quiet: true });
    expect(apiReads).toBe(2);
    now += 5_000;
    const afterBad = await loop.iterate(now, { quiet: true });
    expect(apiReads).toBe(3);
    expect(afterBad.probesRead).toBe(7);
  });
});
