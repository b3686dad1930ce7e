// A quiet iteration rests (reads nothing, asks the core nothing) while the node is plainly healthy,
// every probe's ok reading stands and the core's next wake-up has not come (src/core/rest.ts). Resting
// must be invisible: every remedy, every announcement and every phase lands at the same node time as
// when every iteration looks and steps. And it must happen: an idle stretch rests at most ticks.
import { describe, expect, test } from "vitest";
import { catalogNames, loadScenario } from "../../../src/sim/scenario/load.js";
import { runScenario, type ScenarioReport } from "../../../src/sim/scenario/runner.js";

const seen = (report: ScenarioReport) => ({
  calls: report.calls.map((c) => `${c.at} ${c.kind}`),
  said: report.timeline.filter((e) => e.kind === "announce" || e.kind === "action" || e.kind === "phase").map((e) => `${e.at} ${e.kind} ${e.text}`),
});

describe("resting changes nothing the daemon does", () => {
  test.each(catalogNames())("scenario %s: the same remedies, announcements and phases at the same times", async (name) => {
    const looking = await runScenario(loadScenario(name), undefined, { rests: false });
    const resting = await runScenario(loadScenario(name));
    expect(seen(resting)).toEqual(seen(looking));
  });
});
