// The soak skips ticks at which nothing the daemon could see has changed (a year of 5 s ticks is
// too slow otherwise). Skipping must be invisible: every remedy and every announcement lands at the
// same node time as when every tick runs. It was not once: a skipped tick lost the hold-off timer
// its iteration would have set, and the daemon gave up a whole tick after its verification window.
import { describe, expect, test } from "vitest";
import { catalogNames, loadScenario } from "../../../src/sim/scenario/load.js";
import { runScenario, type ScenarioReport } from "../../../src/sim/scenario/runner.js";

const seen = (report: ScenarioReport) => ({
  calls: report.calls.map((c) => `${c.at} ${c.kind}`),
  said: report.timeline.filter((e) => e.kind === "announce" || e.kind === "action").map((e) => `${e.at} ${e.kind} ${e.text}`),
});

describe("skipping quiet ticks changes nothing the daemon does", () => {
  test.each(catalogNames())("scenario %s: the same remedies and announcements at the same times", async (name) => {
    const every = await runScenario(loadScenario(name));
    const skipping = await runScenario(loadScenario(name), undefined, { skipQuietTicks: true });
    expect(seen(skipping)).toEqual(seen(every));
  });
});
