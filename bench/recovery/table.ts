// The recovery table as a person reads it: one block per scenario, one line per contender, the
// floor under it; then the catalog totals with the daemon's ratios to each baseline.
import type { RunMetrics } from "./drive.js";
import type { ScenarioResult } from "./catalog-run.js";
import { disruptive, type RecoverySummary } from "./summary.js";

/** "4.7s", "7m05s", "—". */
export function seconds(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

const ratio = (r: number | null): string => (r === null ? "—" : `${r.toFixed(2)}×`);
const row = (cells: string[], widths: number[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
const WIDTHS = [30, 20, 7, 8, 4, 4, 4, 5, 10];

function runLine(scenario: string, run: RunMetrics): string {
  const a = run.actions;
  return row([scenario, run.contender, seconds(run.detectMs), seconds(run.healthyMs), String(a["restart-k3s"]), String(a["killall-k3s"]), String(a["restart-registry"]), String(run.podsDeleted), run.endedHealthy ? "healthy" : "NOT"], WIDTHS);
}

/** The whole table. */
export function formatRecoveryTable(results: ScenarioResult[], summary: RecoverySummary): string {
  const lines = [
    "Recovery on the simulated node (virtual clock; times after the first fault; healthy = lasting recovery, model truth)",
    row(["scenario", "contender", "detect", "healthy", "k3s", "kill", "reg", "pods", "ends"], WIDTHS),
    "-".repeat(WIDTHS.reduce((a, b) => a + b + 2, 0)),
  ];
  for (const result of results) {
    result.runs.forEach((run, i) => lines.push(runLine(i === 0 ? result.scenario : "", run)));
    lines.push(row(["", "floor (best instant plan)", "", seconds(result.floor.healthyMs), "", "", "", "", ""], WIDTHS));
    lines.push(row(["", "fair floor (runbook hold-off)", "", seconds(result.fairFloor.healthyMs), "", "", "", "", ""], WIDTHS));
  }
  lines.push("", `Over ${summary.scenarios} scenarios: daemon ends healthy in ${summary.daemon.endedHealthy}, ${summary.daemon.disruptive} disruptive actions (k3s restarts + killalls + registry restarts + pods deleted).`);
  for (const c of summary.comparisons) {
    lines.push(`  vs ${c.contender.padEnd(21)} ends healthy ${String(c.endedHealthy).padStart(2)}; disruptive ${String(c.disruptive).padStart(4)} → daemon/baseline ${ratio(c.disruptiveRatio)}; time to healthy (${c.bothRecovered} both recovered) daemon/baseline ${ratio(c.healthyRatio)}; daemon slower in: ${c.daemonSlower.join(", ") || "none"}`);
  }
  const f = summary.withinFloor;
  lines.push(`  within 10% of the fair floor: ${f.within} of ${f.of}${f.misses.length ? `; misses: ${f.misses.map((m) => `${m.scenario} (${seconds(m.daemonMs)} vs ${seconds(m.floorMs)})`).join(", ")}` : ""}`);
  lines.push(`  k3s unit failure detected within ${seconds(summary.k3sDetectMaxMs)} (worst, target 1 s); pod deletion after its hold-off within ${seconds(summary.podLatenessMaxMs)} (worst of ${summary.podDeletionsTimed}, target 5 s)`);
  return lines.join("\n");
}

export { disruptive };
