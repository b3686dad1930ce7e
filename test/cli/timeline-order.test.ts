// A scenario's timeline reads in time order: a remedy that takes node time (a killall, 5–20 s) is
// shown when it reached the node, before the node events it caused, never after them. Checked on the
// report's timeline and on the printed text, folded and --verbose, of scenarios whose remedies are in
// flight while the node moves, one of them with the daemon restarted in the middle of one.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/sim/scenario/load.js";
import { runScenario, type TimelineEntry } from "../../src/sim/scenario/runner.js";
import { createTimelinePrinter } from "../../src/sim/scenario/timeline.js";

/** "+05:14" → 314 s, for each line that starts with a node time. */
const printedTimes = (text: string): number[] =>
  [...text.matchAll(/^\+(\d+):(\d\d) /gm)].map(([, minutes, seconds]) => Number(minutes) * 60 + Number(seconds));

const backwards = (times: number[]): string[] =>
  times.flatMap((time, i) => (i > 0 && time < (times[i - 1] as number) ? [`#${i}: ${times[i - 1]} then ${time}`] : []));

describe("a scenario timeline never goes back in time", () => {
  it.each(["k3s-permanent-failure", "registry-down", "daemon-restarted-mid-killall"])("%s", async (name) => {
    const printed = { folded: "", verbose: "" };
    const folded = createTimelinePrinter((text) => void (printed.folded += text), false, false);
    const verbose = createTimelinePrinter((text) => void (printed.verbose += text), false, true);
    const report = await runScenario(loadScenario(name), (entry: TimelineEntry) => {
      folded.entry(entry);
      verbose.entry(entry);
    });
    folded.end();
    verbose.end();
    // The scenario has remedies, so there is something to get out of order.
    expect(report.timeline.some((entry) => entry.kind === "action")).toBe(true);
    expect(backwards(report.timeline.map((entry) => entry.at))).toEqual([]);
    expect(backwards(printedTimes(printed.folded))).toEqual([]);
    expect(backwards(printedTimes(printed.verbose))).toEqual([]);
    expect(printedTimes(printed.verbose).length).toBe(report.timeline.length);
  }, 60_000);
});
