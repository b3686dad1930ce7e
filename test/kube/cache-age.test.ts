// `check` and `status` say how old the watched lists are: when the API last confirmed them.
import { describe, expect, it } from "vitest";
import { formatCheckReport, checkReportJson } from "../../src/cli/format/check-report.js";
import { parseConfig } from "../../src/config/load.js";
import { judge } from "../../src/core/judge.js";
import { cacheAgeText } from "../../src/kube/cache-age.js";
import { T0, healthy, sec } from "../core/builders.js";

describe("the cached list's age", () => {
  it("reads as a person would say it", () => {
    expect(cacheAgeText(T0 - 300, T0)).toBe("list <1s old");
    expect(cacheAgeText(T0 - sec(42), T0)).toBe("list 42s old");
    expect(cacheAgeText(T0 - sec(330), T0)).toBe("list 5m30s old");
    expect(cacheAgeText(null, T0)).toBeNull();
  });

  it("check prints it next to the pods and nodes probes, and --json carries heardAt", () => {
    const config = parseConfig({});
    const readings = healthy();
    readings.pods = { ...readings.pods, detail: { ...readings.pods.detail!, cache: { heardAt: T0 - sec(12), lists: 1, droppedLines: 0 } } };
    const judgement = judge(config, readings, T0);
    const text = formatCheckReport(config, judgement, T0, false);
    expect(text).toMatch(/^pods\s+ok\s+all pods ready \(list 12s old\)$/m);
    expect(text).toMatch(/^nodes\s+ok\s+ok$/m);
    expect(checkReportJson(config, judgement).probes.pods).toMatchObject({ status: "ok", heardAt: T0 - sec(12) });
  });
});
