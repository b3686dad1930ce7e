// The cost table: a row per pod count, a column per figure (the real daemon's, measured from
// outside, and the in-process evaluation time), the targets under them, and how each figure grows
// from the smallest pod count to the largest.
import type { EvaluationCost } from "./evaluation.js";
import type { JournalGrowth } from "./journal-growth.js";
import type { ProcessCost } from "./real-daemon.js";

interface Column {
  head: string;
  target: string;
  /** The figure for one row, or undefined when it was not measured. */
  value(row: ProcessCost, evaluation: EvaluationCost | undefined): number | undefined;
  format(value: number): string;
}

const fixed = (digits: number, unit = "") => (value: number) => (Number.isFinite(value) ? `${value.toFixed(digits)}${unit}` : "—");

const COLUMNS: Column[] = [
  { head: "READY=1", target: "< 1.5 s", value: (r) => r.readyMs, format: (ms) => `${(ms / 1000).toFixed(2)} s` },
  { head: "start CPU", target: "", value: (r) => r.startupCpuMs, format: fixed(0, " ms") },
  { head: "idle CPU", target: "≤ 0.1%", value: (r) => r.cpuPercentOfCore, format: fixed(2, "%") },
  { head: "CPU/min", target: "", value: (r) => r.cpuMsPerMin, format: fixed(0, " ms") },
  { head: "CPU/iteration", target: "", value: (r) => r.cpuPerIterationMs, format: fixed(1, " ms") },
  { head: "probes read", target: "", value: (r) => r.probesReadMean ?? undefined, format: fixed(1, "/7") },
  { head: "eval (daemon)", target: "< 50 ms", value: (r) => r.decideMsMedian, format: fixed(2, " ms") },
  { head: "iteration", target: "", value: (r) => r.iterationMsMedian, format: fixed(1, " ms") },
  { head: "eval (in-proc)", target: "", value: (_r, e) => e?.medianMs, format: fixed(2, " ms") },
  { head: "peak RSS", target: "< 100 MB", value: (r) => r.peakRssMB, format: fixed(0, " MB") },
  { head: "RSS at end", target: "", value: (r) => r.rssMB, format: fixed(0, " MB") },
  { head: "API req/min", target: "", value: (r) => r.apiPerMin?.total, format: fixed(1) },
  { head: "SQLite idle/day", target: "", value: (r) => r.journalBytesPerDayIdle, format: (b) => `${(b / 1024).toFixed(0)} KiB` },
];

const WIDTH = 14;

/** The in-process evaluation row for a served pod count (which may differ by a few pods). */
const evaluationFor = (evaluation: EvaluationCost[], pods: number) => evaluation.find((e) => Math.abs(e.pods - pods) <= Math.max(20, e.pods * 0.05));
const cell = (text: string) => text.padStart(WIDTH);

/** How a figure grows from the first row to the last, e.g. "idle CPU ×1.6". */
function growthNote(rows: ProcessCost[], evaluation: EvaluationCost[]): string {
  const measured = rows.filter((r) => !r.error);
  const first = measured[0];
  const last = measured.at(-1);
  if (!first || !last || first === last) return "  growth: needs two measured pod counts";
  const at = (row: ProcessCost) => evaluationFor(evaluation, row.pods);
  const ratios = COLUMNS.filter((c) => c.head !== "SQLite idle/day").map((column) => {
    const a = column.value(first, at(first));
    const b = column.value(last, at(last));
    return `${column.head} ×${a !== undefined && b !== undefined && a > 0 ? (b / a).toFixed(1) : "—"}`;
  });
  return `  growth ${first.pods} → ${last.pods} pods (×${(last.pods / first.pods).toFixed(0)}): ${ratios.join(", ")}`;
}

/** Print the cost table. */
export function formatCostTable(evaluation: EvaluationCost[], growth: JournalGrowth, rows: ProcessCost[], title = "Cost: the real daemon (`run`) against `simulate --serve --pods N`, speed 1, idle window; eval in process"): string {
  const head = ["pods".padStart(6), ...COLUMNS.map((c) => cell(c.head))].join(" ");
  const lines = [title, head, "-".repeat(head.length)];
  for (const row of rows) {
    const evaluationRow = evaluationFor(evaluation, row.pods);
    if (row.error) {
      lines.push(`${String(row.pods).padStart(6)} failed: ${row.error.split("\n")[0]}`);
      continue;
    }
    lines.push([String(row.pods).padStart(6), ...COLUMNS.map((c) => {
      const value = c.value(row, evaluationRow);
      return cell(value === undefined ? "n/m" : c.format(value));
    })].join(" "));
  }
  lines.push(["target".padStart(6), ...COLUMNS.map((c) => cell(c.target))].join(" "));
  lines.push(growthNote(rows, evaluation));
  const first = rows.find((r) => !r.error);
  if (first?.apiPerMin) {
    const kinds = rows.filter((r) => r.apiPerMin).map((r) => `${r.pods}: ${Object.entries(r.apiPerMin ?? {}).filter(([k, n]) => k !== "total" && n > 0).map(([k, n]) => `${k} ${n.toFixed(1)}`).join(", ") || "none"}`);
    lines.push(`  API requests per minute by kind in the window — ${kinds.join("; ")}`);
    const startup = rows.filter((r) => r.apiBeforeWindow).map((r) => `${r.pods}: ${Object.entries(r.apiBeforeWindow ?? {}).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    lines.push(`  API requests from spawn to the window (start-up, healthyHold, warm-up) — ${startup.join("; ")}`);
  }
  const window = first?.windowMs ? `${(first.windowMs / 1000).toFixed(0)} s` : "the window";
  lines.push(`  idle CPU and CPU/min: the daemon's own utime+stime over ${window} with nothing happening on the node; CPU/iteration: that CPU ÷ the loop iterations in the window (the daemon's own count), an outside upper bound on an evaluation; probes read: per iteration, of 7, in the warm-up (a quiet iteration lets the others' ok readings stand; n/m from a build that does not say). Nobody asks the daemon anything during the window.`);
  lines.push(`  eval (in-proc): podView + interpretPods + step() in the bench process, median (p95 ${evaluation.map((e) => `${e.pods}: ${e.p95Ms.toFixed(1)} ms`).join(", ")}).`);
  lines.push(`  SQLite idle/day: the journal's growth in the idle window scaled to 24 h (an extrapolation). SQLite per simulated day with events (in process, fixed inventory): ${(growth.bytesPerDay / 1024).toFixed(0)} KiB — ${growth.day}.`);
  return lines.join("\n");
}
