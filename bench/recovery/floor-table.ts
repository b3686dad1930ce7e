// The floor ratios as the issue asks for them: per scenario, each daemon build's time to healthy
// against the fair floor, and how many are within 10 %. With an earlier build in the same run,
// its column stands next to this one's, measured on the same node model in the same process.
import type { ScenarioResult } from "./catalog-run.js";
import { floorRatios, type FloorRatio } from "./summary.js";
import { seconds } from "./table.js";

const ratio = (r: FloorRatio | undefined): string => (r === undefined ? "" : r.ratio === null ? (r.healthyMs === null ? "NOT" : "—") : `${r.ratio.toFixed(2)}×`);
const mark = (r: FloorRatio | undefined): string => (r === undefined ? "" : r.within ? "" : " *");

/** A markdown table: scenario, fair floor, then time and ratio per daemon build; `*` marks a miss. */
export function formatFloorTable(results: ScenarioResult[], builds: string[]): string {
  const columns = builds.map((name) => new Map(floorRatios(results, name).map((r) => [r.scenario, r])));
  const head = ["scenario", "fair floor", ...builds.flatMap((name) => [name, "ratio"])];
  const lines = [`| ${head.join(" | ")} |`, `|---|---:|${builds.map(() => "---:|---:|").join("")}`];
  for (const result of results) {
    if (result.fairFloor.healthyMs === null || result.fairFloor.healthyMs === 0) continue;
    const cells = columns.flatMap((column) => {
      const r = column.get(result.scenario);
      return [r === undefined ? "" : seconds(r.healthyMs), `${ratio(r)}${mark(r)}`];
    });
    lines.push(`| ${result.scenario} | ${seconds(result.fairFloor.healthyMs)} | ${cells.join(" | ")} |`);
  }
  const counts = builds.map((name, i) => {
    const rows = [...(columns[i]?.values() ?? [])];
    return `${name}: ${rows.filter((r) => r.within).length} of ${rows.length} within 10 % of the fair floor`;
  });
  const unfloored = results.filter((r) => r.fairFloor.healthyMs === null).map((r) => r.scenario);
  const neverDown = results.filter((r) => r.fairFloor.healthyMs === 0).map((r) => r.scenario);
  return [
    ...lines, "", `(* more than 10 % + 1 s over the fair floor; NOT: did not end healthy)`, ...counts,
    `never unhealthy (report-only; floor 0): ${neverDown.join(", ") || "none"}`,
    `no floor (no plan and no contender ends healthy): ${unfloored.join(", ") || "none"}`,
  ].join("\n");
}
