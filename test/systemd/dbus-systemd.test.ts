// The D-Bus client against a real private dbus-daemon serving the systemd1 stand-in.
import { afterEach, describe, expect, it } from "vitest";
import { createK3sUnitProbe } from "../../src/probes/k3s-unit.js";
import { createFakeUnit } from "./fake-unit.js";
import { eventually, startHarness, type Harness } from "./harness.js";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const signal = () => AbortSignal.timeout(5_000);

describe("reading k3s.service over D-Bus", () => {
  it("reads ActiveState, SubState, Result, NRestarts, ExecMainStartTimestamp and the …Monotonic twins, µs into ms", async () => {
    const k3s = createFakeUnit("k3s.service", {
      activeState: "activating",
      subState: "auto-restart",
      result: "exit-code",
      inactiveExitAt: 1_763_000_000_123,
      activeEnterAt: null,
      restarts: 4,
      execMainStartAt: 1_763_000_005_000,
      inactiveExitMono: 812_345,
      execMainStartMono: 817_222,
    });
    harness = await startHarness([k3s]);
    const props = await harness.systemd.unitProperties("k3s.service", signal());
    expect(props).toEqual({
      activeState: "activating",
      subState: "auto-restart",
      result: "exit-code",
      inactiveExitAt: 1_763_000_000_123,
      activeEnterAt: null,
      restarts: 4,
      execMainStartAt: 1_763_000_005_000,
      inactiveExitMono: 812_345,
      activeEnterMono: null,
      execMainStartMono: 817_222,
    });
  });

  it("a unit systemd does not know (NoSuchUnit) makes the probe say unknown, naming the error", async () => {
    harness = await startHarness([createFakeUnit("k3s.service")]);
    const probe = createK3sUnitProbe({ systemd: harness.systemd, unit: "k3s-agent.service" });
    const reading = await probe.read(signal());
    expect(reading.status).toBe("unknown");
    expect(reading.detail).toBeNull();
    expect(reading.reason).toContain("org.freedesktop.systemd1.NoSuchUnit");
    expect(reading.reason).toContain("k3s-agent.service");
  });

  it("a k3s that is active (running) reads ok through the probe", async () => {
    harness = await startHarness([createFakeUnit("k3s.service", { restarts: 1 })]);
    const reading = await createK3sUnitProbe({ systemd: harness.systemd, unit: "k3s.service" }).read(signal());
    expect(reading).toMatchObject({ status: "ok", reason: "k3s.service is active (running), 1 restart" });
  });

  it("PropertiesChanged on k3s.service wakes the probe without waiting for a tick", async () => {
    const k3s = createFakeUnit("k3s.service");
    harness = await startHarness([k3s]);
    const probe = createK3sUnitProbe({ systemd: harness.systemd, unit: "k3s.service" });
    const wakes: string[] = [];
    const stop = probe.watch!((why) => wakes.push(why));
    await eventually(() => harness!.served!.standIn.subscribers.size > 0, "the client to Subscribe");
    // The match rule is added right after Subscribe; a read makes sure both round trips are done.
    await harness.systemd.unitProperties("k3s.service", signal());
    k3s.set({ activeState: "activating", subState: "auto-restart", result: "exit-code" });
    await eventually(() => wakes.length > 0, "a wake-up from PropertiesChanged");
    expect(wakes[0]).toBe("k3s.service or its D-Bus connection changed");
    const reading = await probe.read(signal());
    expect(reading.status).toBe("bad");
    stop();
  });

  it("a listener that unsubscribed is not called again", async () => {
    const k3s = createFakeUnit("k3s.service");
    harness = await startHarness([k3s]);
    let first = 0;
    let second = 0;
    const stopFirst = harness.systemd.onUnitChange("k3s.service", () => first++);
    harness.systemd.onUnitChange("k3s.service", () => second++);
    await eventually(() => harness!.served!.standIn.subscribers.size > 0, "the client to Subscribe");
    await harness.systemd.unitProperties("k3s.service", signal());
    stopFirst();
    k3s.set({ subState: "reload", activeState: "reloading" });
    await eventually(() => second > 0, "the remaining listener");
    expect(first).toBe(0);
  });
});
