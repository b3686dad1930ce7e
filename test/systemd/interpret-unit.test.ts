// interpretUnit: systemd's unit states as the runbook reads them, table-driven, no bus.
import { describe, expect, it } from "vitest";
import { interpretUnit } from "../../src/probes/k3s-unit.js";
import type { UnitProperties } from "../../src/ports.js";

const base: UnitProperties = {
  activeState: "active",
  subState: "running",
  result: "success",
  inactiveExitAt: Date.UTC(2025, 10, 13, 8, 0, 0),
  activeEnterAt: Date.UTC(2025, 10, 13, 8, 0, 40),
  restarts: 0,
};

describe("interpretUnit", () => {
  it.each<[string, Partial<UnitProperties>, string, string]>([
    ["k3s active (running) is ok", {}, "ok", "k3s.service is active (running)"],
    ["k3s active after restarts is still ok, and says so", { restarts: 2 }, "ok", "k3s.service is active (running), 2 restarts"],
    [
      "k3s cycling through auto-restart is failing, not starting",
      { activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: 4 },
      "bad",
      "k3s.service is activating (auto-restart) after exit-code, 4 restarts",
    ],
    [
      "a start attempt names when it began, from InactiveExitTimestamp",
      { activeState: "activating", subState: "start", activeEnterAt: null },
      "bad",
      "k3s.service is activating (start) since 2025-11-13T08:00:00.000Z",
    ],
    [
      "start-limit-hit is named, so the remedy knows to reset-failed",
      { activeState: "failed", subState: "failed", result: "start-limit-hit" },
      "bad",
      "k3s.service is failed (failed) after start-limit-hit",
    ],
    ["a stopped k3s is bad", { activeState: "inactive", subState: "dead" }, "bad", "k3s.service is inactive (dead)"],
    ["a k3s whose main process left (active (exited)) is bad", { subState: "exited" }, "bad", "k3s.service is active (exited)"],
    [
      "a k3s being stopped is bad",
      { activeState: "deactivating", subState: "stop-sigterm", result: "signal", restarts: 1 },
      "bad",
      "k3s.service is deactivating (stop-sigterm) after signal, 1 restart",
    ],
  ])("%s", (_, patch, status, reason) => {
    const props = { ...base, ...patch };
    const reading = interpretUnit(props, "k3s.service");
    expect(reading.status).toBe(status);
    expect(reading.reason).toBe(reason);
    // The core decides on the detail: the timestamps go through untouched.
    expect(reading.detail).toEqual(props);
  });
});
