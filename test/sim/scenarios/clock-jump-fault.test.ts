// The clock-jump fault in a scenario file: a signed step, named with its key when it is wrong.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError } from "../../../src/sim/scenario/load.js";

const scenario = (by: unknown) => ({ name: "jump", description: "d", runbook: "r", duration: "10m", faults: [{ at: "1m", fault: "clock-jump", by }], expect: { noActions: true } });

describe("the clock-jump fault", () => {
  it.each([
    ["+2h", 7_200_000],
    ["-30m", -1_800_000],
    ["+1h30m", 5_400_000],
  ])("by %s steps the wall clock %i ms", (by, ms) => {
    expect(parseScenario(scenario(by), "jump.yaml").faults[0]).toEqual({ at: 60_000, fault: "clock-jump", by: ms });
  });

  it.each([["2h"], ["+soon"], ["+0s"], [7200]])("by %j is refused, naming the key and the value", (by) => {
    expect(() => parseScenario(scenario(by), "jump.yaml")).toThrow(ScenarioError);
    expect(() => parseScenario(scenario(by), "jump.yaml")).toThrow(/faults\.0\.by/);
  });

  it("k3sRestartMode defaults to systemd's normal mode and takes direct", () => {
    expect(parseScenario(scenario("+1h"), "jump.yaml").k3sRestartMode).toBe("normal");
    expect(parseScenario({ ...scenario("+1h"), k3sRestartMode: "direct" }, "jump.yaml").k3sRestartMode).toBe("direct");
  });
});
