// The cost table: what was measured in-process, and the real-process figures with the reason when
// they could not be measured on this run.
import type { EvaluationCost } from "./evaluation.js";
import type { JournalGrowth } from "./journal-growth.js";

/** A real-process figure per pod count, or why it is missing. */
export interface ProcessFigure {
  name: string;
  target: string;
  byPods: Record<string, string>;
}

/** The figures `run` against `simulate --serve` would give; not measured yet, with why. */
export function unmeasuredProcessFigures(counts: number[], why: string): ProcessFigure[] {
  const names: [string, string][] = [
    ["CPU per minute (idle, % of one core)", "< 0.5%"],
    ["peak RSS (VmHWM)", "< 100 MB"],
    ["Kubernetes API requests per minute", "—"],
    ["start-up to READY=1", "< 1.5 s"],
  ];
  return names.map(([name, target]) => ({ name, target, byPods: Object.fromEntries(counts.map((c) => [String(c), `not measured: ${why}`])) }));
}

/** Print the cost table. */
export function formatCostTable(evaluation: EvaluationCost[], growth: JournalGrowth, process: ProcessFigure[]): string {
  const counts = evaluation.map((e) => e.pods);
  const head = ["figure".padEnd(40), ...counts.map((c) => `${c} pods`.padStart(14)), "target".padStart(10)].join("  ");
  const line = (name: string, cells: string[], target: string) => [name.padEnd(40), ...cells.map((c) => c.padStart(14)), target.padStart(10)].join("  ");
  const lines = ["Cost", head, "-".repeat(head.length)];
  lines.push(line("evaluation, median (podView+interpret+step)", evaluation.map((e) => `${e.medianMs.toFixed(2)} ms`), "< 50 ms"));
  lines.push(line("evaluation, p95", evaluation.map((e) => `${e.p95Ms.toFixed(2)} ms`), ""));
  lines.push(line("SQLite growth per simulated day", counts.map(() => `${(growth.bytesPerDay / 1024).toFixed(0)} KiB`), ""));
  for (const figure of process) lines.push(line(figure.name, counts.map(() => "n/m"), figure.target));
  const missing = process.map((f) => Object.values(f.byPods)[0]).find((v) => v !== undefined && v.startsWith("not measured"));
  if (missing) lines.push(`  n/m = ${missing}`);
  lines.push(`  SQLite growth: ${growth.day}; the model's node has a fixed inventory, so the figure is the same in each column.`);
  return lines.join("\n");
}
