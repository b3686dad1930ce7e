// The soak's figures: percentiles of time to healthy per fault kind beside the floor (the best of
// bench/recovery's instant plans on one representative draw of that kind, alone on a healthy
// node), and the summary printed and saved in bench/results/soak.json.
import fc from "fast-check";
import { parseScenario } from "../../src/sim/scenario/load.js";
import { drive } from "../recovery/drive.js";
import { instantPlans, oracleContender } from "../recovery/oracle.js";
import { faultDraw, type FaultDraw } from "./fault-draws.js";
import type { SoakTotals } from "./soak.js";

/** The q-th percentile (0–1) of `values`, nearest rank; null when empty. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** The draws the representatives and the kinds come from: a fixed seed's sample. */
const sampleDraws = (): FaultDraw[] => fc.sample(faultDraw, { seed: 7, numRuns: 3_000 });

/** One representative draw of each kind (the first a fixed seed gives). */
function representatives(labels: string[]): Map<string, FaultDraw> {
  const found = new Map<string, FaultDraw>();
  for (const draw of sampleDraws()) if (labels.includes(draw.label) && !found.has(draw.label)) found.set(draw.label, draw);
  return found;
}

/** Every kind a recoverable draw can have: the soak's time-to-healthy figures are keyed by these. */
export function recoverableLabels(): string[] {
  return [...new Set(sampleDraws().filter((d) => d.recoverable).map((d) => d.label))].sort();
}

/** The floor for each kind: the fastest lasting recovery of any instant plan, ms after the fault. */
export async function floors(labels: string[]): Promise<Record<string, number | null>> {
  const result: Record<string, number | null> = {};
  for (const [label, draw] of representatives(labels)) {
    const scenario = parseScenario({
      name: `floor-${label}`, description: "floor", runbook: "soak floor", duration: "90m", start: "healthy", seed: 1,
      faults: draw.faults.map((f) => ({ at: `${60 + f.offset}s`, ...f.entry })), expect: {},
    }, `floor-${label}`);
    let best: number | null = null;
    for (const plan of instantPlans()) {
      const run = await drive(scenario, oracleContender(plan));
      if (run.healthyMs !== null && (best === null || run.healthyMs < best)) best = run.healthyMs;
    }
    result[label] = best;
  }
  return result;
}

/** The figures as saved in bench/results/soak.json. */
export function summary(totals: SoakTotals, floor: Record<string, number | null>, command: string) {
  const timeToHealthy = Object.fromEntries(Object.entries(totals.timeToHealthy).sort().map(([kind, times]) => [kind, {
    episodes: times.length,
    p50Seconds: seconds(percentile(times, 0.5)),
    p95Seconds: seconds(percentile(times, 0.95)),
    floorSeconds: seconds(floor[kind] ?? null),
  }]));
  const byInvariant: Record<string, number> = {};
  for (const v of totals.violations) byInvariant[v.invariant] = (byInvariant[v.invariant] ?? 0) + 1;
  return {
    command,
    seed: totals.seed,
    simulatedDays: Number((totals.simulatedMs / 86_400_000).toFixed(1)),
    wallSeconds: Number((totals.wallMs / 1000).toFixed(1)),
    runs: totals.runs,
    violations: totals.violations.length,
    violationsByInvariant: byInvariant,
    faultsByKind: totals.faultsByKind,
    remediesByKind: totals.remediesByKind,
    recoveries: totals.recoveries,
    gaveUps: totals.gaveUps,
    timeToHealthy,
    shrunk: totals.shrunk.map((s) => ({ invariant: s.invariant, file: s.file, simulatedDays: Number(s.simulatedDays.toFixed(2)), violations: s.violations.slice(0, 5) })),
    firstViolations: totals.violations.slice(0, 100),
  };
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));

/** The printed table. */
export function formatSummary(figures: ReturnType<typeof summary>): string {
  const lines = [
    `Soak (seed ${figures.seed}): ${figures.simulatedDays} simulated days in ${figures.wallSeconds} s of wall time, ${figures.runs} runs`,
    `violations: ${figures.violations}${Object.keys(figures.violationsByInvariant).length > 0 ? ` (${Object.entries(figures.violationsByInvariant).map(([k, v]) => `${v} × ${k}`).join("; ")})` : ""}`,
    `faults by kind: ${Object.entries(figures.faultsByKind).sort().map(([k, v]) => `${k} ${v}`).join(", ")}`,
    `remedies by kind: ${Object.entries(figures.remediesByKind).sort().map(([k, v]) => `${k} ${v}`).join(", ")}`,
    `recoveries: ${figures.recoveries}, gave-ups (one err per unrecoverable episode): ${figures.gaveUps}`,
    "",
    `${"time to healthy".padEnd(32)} ${"episodes".padStart(8)} ${"p50 s".padStart(7)} ${"p95 s".padStart(7)} ${"floor s".padStart(8)}`,
    ...Object.entries(figures.timeToHealthy).map(([kind, t]) => `${kind.padEnd(32)} ${String(t.episodes).padStart(8)} ${String(t.p50Seconds ?? "-").padStart(7)} ${String(t.p95Seconds ?? "-").padStart(7)} ${String(t.floorSeconds ?? "-").padStart(8)}`),
  ];
  for (const s of figures.shrunk) lines.push("", `shrunk (${s.simulatedDays} days): ${s.invariant} → ${s.file ?? "(not written)"}`, ...s.violations.map((v) => `  +${Math.round(v.at / 1000)}s ${v.detail}`));
  return lines.join("\n");
}
