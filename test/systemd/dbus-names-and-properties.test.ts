// Unit object paths and property conversion, checked against what systemd itself puts on the bus.
import { describe, expect, it } from "vitest";
import { unitObjectPath } from "../../src/systemd/dbus-names.js";
import { msToUsec, toUnitProperties, usecToMs } from "../../src/systemd/dbus-unit-properties.js";

describe("unit object paths", () => {
  it.each([
    ["k3s.service", "/org/freedesktop/systemd1/unit/k3s_2eservice"],
    ["songnodes-watchdog.service", "/org/freedesktop/systemd1/unit/songnodes_2dwatchdog_2eservice"],
    ["getty@tty1.service", "/org/freedesktop/systemd1/unit/getty_40tty1_2eservice"],
    ["1password.service", "/org/freedesktop/systemd1/unit/_31password_2eservice"],
    ["-.mount", "/org/freedesktop/systemd1/unit/_2d_2emount"],
  ])("%s lives at %s, as systemctl show -p ObjectPath says", (unit, path) => {
    expect(unitObjectPath(unit)).toBe(path);
  });
});

describe("property conversion", () => {
  it("turns µs BigInt timestamps into ms, and 0 (never) into null", () => {
    expect(usecToMs(1_763_000_000_123_456n)).toBe(1_763_000_000_123);
    expect(usecToMs(0n)).toBeNull();
    expect(usecToMs(undefined)).toBeNull();
    expect(msToUsec(1_763_000_000_123)).toBe(1_763_000_000_123_000n);
    expect(msToUsec(null)).toBe(0n);
  });

  it("reads the Unit and Service maps as GetAll returns them", () => {
    const v = (value: unknown) => ({ value });
    const props = toUnitProperties(
      { ActiveState: v("activating"), SubState: v("auto-restart"), InactiveExitTimestamp: v(1_700_000_000_000_000n), ActiveEnterTimestamp: v(0n) },
      { Result: v("exit-code"), NRestarts: v(7) },
    );
    expect(props).toEqual({
      activeState: "activating",
      subState: "auto-restart",
      result: "exit-code",
      inactiveExitAt: 1_700_000_000_000,
      activeEnterAt: null,
      restarts: 7,
      execMainStartAt: null,
      inactiveExitMono: null,
      activeEnterMono: null,
      execMainStartMono: null,
    });
  });

  it("reads the …TimestampMonotonic twins and ExecMainStartTimestamp, µs to ms, 0 as never", () => {
    const v = (value: unknown) => ({ value });
    const props = toUnitProperties(
      { ActiveState: v("activating"), SubState: v("start"), InactiveExitTimestamp: v(1_700_000_000_000_000n), InactiveExitTimestampMonotonic: v(12_345_678_000n), ActiveEnterTimestampMonotonic: v(0n) },
      { Result: v("success"), NRestarts: v(3), ExecMainStartTimestamp: v(1_700_000_005_000_000n), ExecMainStartTimestampMonotonic: v(12_350_678_000n) },
    );
    expect(props).toMatchObject({ inactiveExitMono: 12_345_678, activeEnterMono: null, execMainStartAt: 1_700_000_005_000, execMainStartMono: 12_350_678 });
  });

  it("a systemd without NRestarts (before v235) gives restarts null, not 0", () => {
    expect(toUnitProperties({ ActiveState: { value: "active" }, SubState: { value: "running" } }, {}).restarts).toBeNull();
  });
});
