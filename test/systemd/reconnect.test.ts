// The bus going away and coming back, with a real dbus-daemon stopped, frozen and restarted.
import { afterEach, describe, expect, it } from "vitest";
import { createK3sUnitProbe } from "../../src/probes/k3s-unit.js";
import { createFakeUnit } from "./fake-unit.js";
import { eventually, startHarness, type Harness } from "./harness.js";

let harness: Harness | null = null;
afterEach(async () => {
  if (harness?.bus.pid !== undefined) process.kill(harness.bus.pid, "SIGCONT");
  await harness?.close();
  harness = null;
});

describe("when the bus goes away", () => {
  it("a stopped bus makes the probe say unknown with a reason, and nothing crashes", async () => {
    harness = await startHarness([createFakeUnit("k3s.service")]);
    const probe = createK3sUnitProbe({ systemd: harness.systemd, unit: "k3s.service" });
    expect((await probe.read(AbortSignal.timeout(5_000))).status).toBe("ok");
    await harness.bus.stop();
    const reading = await probe.read(AbortSignal.timeout(5_000));
    expect(reading.status).toBe("unknown");
    expect(reading.reason).toMatch(/lost the bus|cannot reach systemd on the bus at unix:path=/);
    // And again, now that there is no socket at all: connecting fails, it does not hang or throw.
    const again = await probe.read(AbortSignal.timeout(5_000));
    expect(again.status).toBe("unknown");
    expect(again.reason).toContain("cannot reach systemd on the bus at unix:path=");
  });

  it("a bus that stops answering makes the probe say unknown when the call times out", async () => {
    harness = await startHarness([createFakeUnit("k3s.service")], 300);
    const probe = createK3sUnitProbe({ systemd: harness.systemd, unit: "k3s.service" });
    expect((await probe.read(AbortSignal.timeout(5_000))).status).toBe("ok");
    process.kill(harness.bus.pid!, "SIGSTOP");
    const reading = await probe.read(AbortSignal.timeout(5_000));
    process.kill(harness.bus.pid!, "SIGCONT");
    expect(reading.status).toBe("unknown");
    expect(reading.reason).toMatch(/timed out after 300 ms/);
  });

  it("the system bus missing entirely is an unknown reading, not an unhandled 'error' event", async () => {
    const previous = process.env["DBUS_SYSTEM_BUS_ADDRESS"];
    process.env["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent/watchdog-test/system_bus_socket";
    try {
      const { createDbusSystemd } = await import("../../src/systemd/dbus-systemd.js");
      const { memoryLogger } = await import("./harness.js");
      const systemd = createDbusSystemd({ logger: memoryLogger([]), callTimeoutMs: 1_000 });
      const reading = await createK3sUnitProbe({ systemd, unit: "k3s.service" }).read(AbortSignal.timeout(5_000));
      expect(reading.status).toBe("unknown");
      expect(reading.reason).toMatch(/^cannot reach systemd on the system bus: .*ENOENT/);
      await systemd.close();
    } finally {
      if (previous === undefined) delete process.env["DBUS_SYSTEM_BUS_ADDRESS"];
      else process.env["DBUS_SYSTEM_BUS_ADDRESS"] = previous;
    }
  });

  it("after the bus restarts, the client reconnects by itself and unit changes wake listeners again", async () => {
    const k3s = createFakeUnit("k3s.service");
    harness = await startHarness([k3s]);
    let wakes = 0;
    const stop = harness.systemd.onUnitChange("k3s.service", () => wakes++);
    await eventually(() => harness!.served!.standIn.subscribers.size > 0, "the first Subscribe");

    await harness.bus.restart();
    // The listener hears about the loss, so the loop can look at once.
    await eventually(() => wakes > 0, "a wake-up when the bus went away");
    await harness.serve();
    await eventually(() => harness!.served!.standIn.subscribers.size > 0, "the client to Subscribe again");
    expect(harness.logs.some((line) => line.startsWith("warn: lost the connection to systemd"))).toBe(true);

    // Reads work on the new connection, and PropertiesChanged reaches the old listener.
    expect((await harness.systemd.unitProperties("k3s.service", AbortSignal.timeout(5_000))).activeState).toBe("active");
    const before = wakes;
    k3s.set({ activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: 1 });
    await eventually(() => wakes > before, "a wake-up from PropertiesChanged after the reconnect");
    stop();
  });
});
