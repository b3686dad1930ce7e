// `maintenance` and `report --month` for people: one line per check (level, last run, next run) with
// its reason and next command, and the month's usage with sparklines.
import type { MaintenanceRun } from "../../journal/maintenance.js";
import type { UsageTrend } from "../../maintenance/checks/usage-trends.js";
import type { CheckStatus } from "../../maintenance/runner.js";
import type { Paint } from "./colour.js";
import { formatWhen } from "./time.js";
import { wrap } from "./wrap.js";

const BARS = "▁▂▃▄▅▆▇█";

/** A sparkline of `values` ("▁▂▅█"); flat series draw the lowest bar. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(...values, 0);
  const min = Math.min(...values, max);
  return values.map((v) => BARS[max === min ? 0 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))]).join("");
}

function levelText(level: string | undefined, paint: Paint): string {
  if (level === "crit") return paint.red("crit");
  if (level === "warn") return paint.yellow("warn");
  if (level === "ok") return paint.green("ok");
  return level ?? "never run";
}

/** Every check: level, name, last run, next run, then its reason and next command. */
export function renderMaintenance(checks: readonly CheckStatus[], now: number, paint: Paint): string {
  if (checks.length === 0) return "maintenance is off (maintenance.enabled: false)\n";
  const lines: string[] = [];
  for (const c of checks) {
    const last = c.lastRun;
    lines.push(`${levelText(last?.level, paint)}  ${paint.bold(c.name)} (${c.cadence}, ${c.schedule})${c.running ? " running now" : ""}`);
    lines.push(`    last run: ${last ? formatWhen(last.startedAt, now) : "never"}`);
    lines.push(`    next run: ${c.nextRunAt === null ? "none" : formatWhen(c.nextRunAt, now)}`);
    if (last) lines.push(...runLines(last));
  }
  return `${lines.join("\n")}\n`;
}

/** A run's reason and the command a person would run next, wrapped to the terminal's 80 columns. */
export function runLines(run: MaintenanceRun): string[] {
  return [...wrap(`    ${run.reason}`, "      "), ...(run.next && run.level !== "ok" ? wrap(`    next: ${run.next}`, "      ") : [])];
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const growth = (percent: number | null) => (percent === null ? "no earlier month" : `${percent >= 0 ? "+" : ""}${percent.toFixed(0)} % on the month before`);

/** The month's report: nodes, then the top consumers by memory, each with a 30-day sparkline. */
export function renderReport(report: { trends: UsageTrend[]; top: number; samples: number }, sparklines: boolean): string {
  if (report.samples === 0) return `${wrap("no usage samples yet: the daemon keeps one an hour from metrics.k8s.io (kubectl top nodes)", "  ").join("\n")}\n`;
  // The 30 daily points of a sparkline go on their own line, so every line stays within 80 columns.
  const line = (t: UsageTrend) => [
    `${t.kind === "node" ? "node" : "workload"} ${t.name}`,
    `  memory ${mib(t.memory.now)} (${growth(t.memory.growthPercent)})`, ...(sparklines ? [`    ${sparkline(t.memory.series)}`] : []),
    `  cpu ${t.cpu.now.toFixed(0)}m (${growth(t.cpu.growthPercent)})`, ...(sparklines ? [`    ${sparkline(t.cpu.series)}`] : []),
  ];
  const nodes = report.trends.filter((t) => t.kind === "node");
  const top = report.trends.filter((t) => t.kind === "pod").sort((a, b) => b.memory.now - a.memory.now).slice(0, report.top);
  const lines = [`usage over the last 30 days (${report.samples} samples), month over month`, ...nodes.flatMap(line), `top ${top.length} consumers by memory`, ...top.flatMap(line)];
  return `${lines.flatMap((text) => wrap(text, "    ")).join("\n")}\n`;
}
