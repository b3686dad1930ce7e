// The soak: random schedules over simulated years, each run a fast-check property over one
// schedule. A run that breaks an invariant not shrunk yet is shrunk by fast-check to the smallest
// schedule that still breaks it, written out as a scenario file. Figures add up over the runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import type { Violation } from "./invariants.js";
import { runSchedule, type RunResult } from "./run-schedule.js";
import { scheduleArb } from "./schedule.js";

export interface SoakOptions {
  seed: number;
  /** Simulated days to cover (365 × years). */
  days: number;
  /** Episodes per run. */
  episodes: [number, number];
  /** Wall-time limit for one run and the shrinking of its failure; 0: no shrinking. */
  shrinkMs: number;
  /** Where shrunk schedules go (one YAML per invariant). */
  shrunkDir: string | null;
  progress?: (line: string) => void;
}

/** A shrunk schedule and what it breaks. */
export interface Shrunk {
  invariant: string;
  file: string | null;
  violations: Violation[];
  simulatedDays: number;
}

export interface SoakTotals {
  seed: number;
  runs: number;
  simulatedMs: number;
  wallMs: number;
  violations: (Violation & { run: number })[];
  faultsByKind: Record<string, number>;
  remediesByKind: Record<string, number>;
  recoveries: number;
  gaveUps: number;
  timeToHealthy: Record<string, number[]>;
  shrunk: Shrunk[];
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);

/** Run the soak. */
export async function soak(options: SoakOptions): Promise<SoakTotals> {
  const wallStart = performance.now();
  const totals: SoakTotals = {
    seed: options.seed, runs: 0, simulatedMs: 0, wallMs: 0, violations: [], faultsByKind: {}, remediesByKind: {},
    recoveries: 0, gaveUps: 0, timeToHealthy: {}, shrunk: [],
  };
  const shrunkInvariants = new Set<string>();
  const arb = scheduleArb(options.episodes[0], options.episodes[1]);
  for (let run = 0; totals.simulatedMs < options.days * 86_400_000; run++) {
    let first: RunResult | null = null;
    let targets = new Set<string>();
    let smallest: RunResult | null = null;
    const property = fc.asyncProperty(arb, async (schedule) => {
      if (first === null) {
        first = await runSchedule(schedule, `soak-${options.seed}-${run}`);
        // One invariant per shrink, the first this soak has not shrunk yet: the smallest schedule for it.
        const fresh = first.violations.map((v) => v.invariant).find((i) => !shrunkInvariants.has(i));
        targets = options.shrinkMs === 0 || fresh === undefined ? new Set() : new Set([fresh]);
        return targets.size === 0;
      }
      const result = await runSchedule(schedule, `soak-shrunk-${slug([...targets][0] ?? "x")}`);
      const broken = result.violations.some((v) => targets.has(v.invariant));
      if (broken && (smallest === null || result.simulatedMs <= smallest.simulatedMs)) smallest = result;
      return !broken;
    });
    await fc.check(property, { seed: options.seed + run, numRuns: 1, ...(options.shrinkMs > 0 ? { interruptAfterTimeLimit: options.shrinkMs } : {}), markInterruptAsFailure: false });
    const result = first as RunResult | null;
    if (result === null) break;
    totals.runs++;
    totals.simulatedMs += result.simulatedMs;
    totals.violations.push(...result.violations.map((v) => ({ ...v, run })));
    add(totals.faultsByKind, result.faultsByKind);
    add(totals.remediesByKind, result.remediesByKind);
    totals.recoveries += result.recoveries;
    totals.gaveUps += result.gaveUps;
    for (const [kind, times] of Object.entries(result.timeToHealthy)) (totals.timeToHealthy[kind] ??= []).push(...times);
    const best = (smallest ?? (targets.size > 0 ? result : null)) as RunResult | null;
    if (best !== null) {
      for (const invariant of targets) shrunkInvariants.add(invariant);
      const invariant = [...targets][0] as string;
      const file = options.shrunkDir === null ? null : `${options.shrunkDir}/soak-${slug(invariant)}.yaml`;
      if (file !== null) writeShrunk(file, best, [...targets]);
      totals.shrunk.push({ invariant: [...targets].join("; "), file, violations: best.violations.filter((v) => targets.has(v.invariant)), simulatedDays: best.simulatedMs / 86_400_000 });
    }
    options.progress?.(`run ${run}: ${(result.simulatedMs / 86_400_000).toFixed(1)} days, ${result.violations.length} violation(s); total ${(totals.simulatedMs / 86_400_000).toFixed(1)} days in ${((performance.now() - wallStart) / 1000).toFixed(0)} s`);
  }
  totals.wallMs = performance.now() - wallStart;
  return totals;
}

/** The shrunk schedule as a scenario file, its violations in a comment at the top. */
function writeShrunk(file: string, result: RunResult, invariants: string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const lines = result.violations.filter((v) => invariants.includes(v.invariant)).map((v) => `#   +${Math.round(v.at / 1000)}s ${v.invariant}: ${v.detail}`);
  writeFileSync(file, `# Shrunk by the soak (npm run soak): the smallest schedule found that breaks\n${lines.join("\n")}\n${stringify(result.document)}`);
}
