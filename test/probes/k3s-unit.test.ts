// A k3s unit the probe cannot read is unknown, never bad: a missing or undefined ActiveState says
// nothing about k3s. systemd before v230 wrote Result "start-limit" for what is now "start-limit-hit".
import { describe, expect, it } from "vitest";
import { interpretUnit } from "../../src/probes/k3s-unit.js";
import type { UnitProperties } from "../../src/ports.js";

const base: UnitProperties = {
  activeState: "active", subState: "running", result: "success",
  inactiveExitAt: Date.UTC(2025, 10, 13, 8, 0, 0), activeEnterAt: Date.UTC(2025, 10, 13, 8, 0, 40), restarts: 0,
};

describe("k3s unit states the probe cannot judge", () => {
  it.each<[string, unknown]>([
    ["an empty ActiveState (the property was missing)", ""],
    ["no ActiveState at all", undefined],
    ["an ActiveState systemd does not define", "sleeping"],
  ])("%s reads unknown and names what systemd said", (_, activeState) => {
    const reading = interpretUnit({ ...base, activeState: activeState as string, subState: "dead" }, "k3s.service");
    expect(reading).toEqual({
      status: "unknown",
      reason: `cannot judge k3s.service: systemd reported ActiveState ${JSON.stringify(activeState ?? null)}, which is not one systemd defines`,
      detail: null,
    });
  });

  it.each(["maintenance", "refreshing"])("%s, a state newer systemd defines, is judged (bad: not running)", (activeState) => {
    expect(interpretUnit({ ...base, activeState, subState: "dead" }, "k3s.service").status).toBe("bad");
  });

  it("Result start-limit from systemd before v230 is named in the reason like start-limit-hit", () => {
    const reading = interpretUnit({ ...base, activeState: "failed", subState: "failed", result: "start-limit" }, "k3s.service");
    expect(reading).toMatchObject({ status: "bad", reason: "k3s.service is failed (failed) after start-limit", detail: { result: "start-limit" } });
  });
});
