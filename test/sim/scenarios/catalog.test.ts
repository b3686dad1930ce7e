// Every scenario in the catalog passes against the daemon's real loop, and the runner can fail:
// a deliberately wrong expectation makes the verdict FAIL.
import { describe, expect, test } from "vitest";
import { catalogNames, loadScenario, parseScenario, ScenarioError } from "../../../src/sim/scenario/load.js";
import { runScenario } from "../../../src/sim/scenario/runner.js";

const names = catalogNames();

describe("the scenario catalog", () => {
  test("has at least 15 scenarios, each naming the runbook procedure or safety rule it covers", () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const name of names) expect(loadScenario(name).runbook.length).toBeGreaterThan(5);
  });

  test.each(names)("scenario %s: every expectation holds", async (name) => {
    const report = await runScenario(loadScenario(name));
    const failed = report.verdicts.filter((v) => !v.ok).map((v) => `${v.expectation}: ${v.detail}`);
    expect(failed).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

describe("the runner judges what happened", () => {
  test("a deliberately wrong expectation fails the scenario", async () => {
    const scenario = loadScenario("k3s-permanent-failure");
    const wrong = { ...scenario, expect: { ...scenario.expect, endsIn: "healthy" as const, noActions: true as const } };
    const report = await runScenario(wrong);
    expect(report.passed).toBe(false);
    expect(report.verdicts.filter((v) => !v.ok).map((v) => v.expectation)).toEqual(["ends in healthy", "no action taken on the node"]);
  });

  test("an hour of node time runs on the virtual clock (wall time printed, not asserted)", async () => {
    const report = await runScenario(loadScenario("k3s-permanent-failure"));
    console.log(`an hour of node time (k3s-permanent-failure) took ${(report.wallMs / 1000).toFixed(2)} s of wall time`);
    expect(report.durationMs).toBe(3_600_000);
    expect(report.timeline.at(-1)?.at ?? 0).toBeGreaterThan(30 * 60_000);
  });

  test("the same seed plays a scenario out the same way twice", async () => {
    const first = await runScenario(loadScenario("reboot"));
    const second = await runScenario(loadScenario("reboot"));
    expect(second.timeline.map((e) => `${e.at} ${e.text}`)).toEqual(first.timeline.map((e) => `${e.at} ${e.text}`));
  });
});

describe("scenario files are validated", () => {
  const base = { name: "x", description: "d", runbook: "r", duration: "10m", expect: {} };

  test("a bad fault parameter is reported with its key and value", () => {
    const bad = { ...base, faults: [{ at: "1m", fault: "k3s-fails-to-start", times: "three" }] };
    expect(() => parseScenario(bad, "bad.yaml")).toThrow(ScenarioError);
    expect(() => parseScenario(bad, "bad.yaml")).toThrow(/bad\.yaml: faults\.0\.times: .*\(got "three"\)/);
  });

  test("an unknown fault and a bad duration name their keys", () => {
    expect(() => parseScenario({ ...base, faults: [{ at: "1m", fault: "disk-full" }] }, "f.yaml")).toThrow(/faults\.0\.fault/);
    expect(() => parseScenario({ ...base, duration: "soon" }, "f.yaml")).toThrow(/duration: not a duration .*"soon"/);
  });

  test("an unknown expectation key is refused rather than silently ignored", () => {
    expect(() => parseScenario({ ...base, expect: { healthyBi: "5m" } }, "f.yaml")).toThrow(/expect/);
  });

  test("an unknown scenario name points at `simulate --list` and names the ones that contain it", () => {
    expect(() => loadScenario("no-such-scenario")).toThrow(/^no scenario named no-such-scenario; `simulate --list` lists the \d+ scenarios$/);
    expect(() => loadScenario("reboot-data")).toThrow(/\(similar: reboot, reboot-data-intact, reboot-data-lost\)/);
  });
});
