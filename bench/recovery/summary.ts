// The recovery figures the issue asks for, over the catalog: the daemon against the floor and each
// baseline, and the targets it is reported against (never asserted).
import type { RunMetrics } from "./drive.js";
import type { ScenarioResult } from "./catalog-run.js";

/** Disruptive actions of one run: k3s restarts, killalls, registry restarts and pods deleted. */
export function disruptive(run: RunMetrics): number {
  return run.actions["restart-k3s"] + run.actions["killall-k3s"] + run.actions["restart-registry"] + run.podsDeleted;
}

/** The daemon against one other contender. */
export interface Comparison {
  contender: string;
  endedHealthy: number;
  disruptive: number;
  /** Daemon's disruptive actions over this contender's. */
  disruptiveRatio: number | null;
  /** Scenarios where both recovered: sum of the daemon's time to healthy over the sum of this contender's. */
  healthyRatio: number | null;
  bothRecovered: number;
  /** Scenarios where the daemon recovered later than this contender, or not at all while it did. */
  daemonSlower: string[];
}

/** Everything the summary reports. */
export interface RecoverySummary {
  scenarios: number;
  daemon: { endedHealthy: number; disruptive: number };
  comparisons: Comparison[];
  /** Scenarios where the daemon recovered within 10% of the fair floor (or the floor is 0 and so is it). */
  withinFloor: { within: number; of: number; misses: { scenario: string; daemonMs: number | null; floorMs: number; plan: string | null }[] };
  /** The daemon's time to healthy over the fair floor, per scenario with a floor. */
  floorRatios: FloorRatio[];
  /** Worst time to detect a k3s unit failure (scenarios whose first fault kills or fails k3s). */
  k3sDetectMaxMs: number | null;
  k3sDetectScenarios: string[];
  /** Worst lateness of a pod deletion after its hold-off ran out. */
  podLatenessMaxMs: number | null;
  podDeletionsTimed: number;
}

/** One scenario's time to healthy against its fair floor. */
export interface FloorRatio {
  scenario: string;
  contender: string;
  healthyMs: number | null;
  fairFloorMs: number;
  fairFloorPlan: string | null;
  /** healthyMs / fairFloorMs; null when the contender did not recover (or the floor is 0). */
  ratio: number | null;
  /** Within 10 % of the fair floor, with 1 s for the pollers' phase. */
  within: boolean;
}

/** A time to healthy this close to the floor counts as reaching it: 10 %, plus 1 s for the pollers' phase. */
export function withinTenPercent(healthyMs: number | null, floorMs: number): boolean {
  return healthyMs !== null && healthyMs <= floorMs * 1.1 + 1_000;
}

/** Every scenario with a fair floor: `contender`'s time to healthy against it. */
export function floorRatios(results: ScenarioResult[], contender = "daemon"): FloorRatio[] {
  const rows: FloorRatio[] = [];
  for (const result of results) {
    const floor = result.fairFloor.healthyMs;
    const run = result.runs.find((r) => r.contender === contender);
    // A floor of 0: the node never stops being healthy (a report-only scenario); nothing to compare.
    if (floor === null || floor === 0 || run === undefined) continue;
    const ms = run.healthyMs;
    rows.push({
      scenario: result.scenario, contender, healthyMs: ms, fairFloorMs: floor, fairFloorPlan: result.fairFloor.plan,
      ratio: ms === null || floor === 0 ? null : ms / floor, within: withinTenPercent(ms, floor),
    });
  }
  return rows;
}

/** Two recoveries this close are the same (the pollers' phase, the model's event order). */
const SAME_MS = 1_000;

const byName = (result: ScenarioResult, name: string): RunMetrics => result.runs.find((r) => r.contender === name) as RunMetrics;

/** Summarise; `k3sFailureScenarios` names the scenarios whose first fault makes the unit fail. */
export function summarise(results: ScenarioResult[], k3sFailureScenarios: Set<string>): RecoverySummary {
  const daemonRuns = results.map((r) => byName(r, "daemon"));
  const others = (results[0]?.runs ?? []).map((r) => r.contender).filter((n) => n !== "daemon");
  const daemonDisruptive = daemonRuns.reduce((sum, run) => sum + disruptive(run), 0);
  const comparisons = others.map((name): Comparison => {
    let dSum = 0, oSum = 0, both = 0, total = 0, healthy = 0;
    const slower: string[] = [];
    for (const result of results) {
      const d = byName(result, "daemon");
      const o = byName(result, name);
      total += disruptive(o);
      if (o.endedHealthy) healthy++;
      if (d.healthyMs !== null && o.healthyMs !== null) {
        both++;
        dSum += d.healthyMs;
        oSum += o.healthyMs;
        if (d.healthyMs > o.healthyMs + SAME_MS) slower.push(result.scenario);
      } else if (d.healthyMs === null && o.healthyMs !== null) slower.push(result.scenario);
    }
    return {
      contender: name, endedHealthy: healthy, disruptive: total, disruptiveRatio: total === 0 ? null : daemonDisruptive / total,
      healthyRatio: oSum === 0 ? null : dSum / oSum, bothRecovered: both, daemonSlower: slower,
    };
  });
  const ratios = floorRatios(results);
  const misses = ratios.filter((r) => !r.within).map((r) => ({ scenario: r.scenario, daemonMs: r.healthyMs, floorMs: r.fairFloorMs, plan: r.fairFloorPlan }));
  const of = ratios.length;
  const k3sDetect = daemonRuns.filter((run) => k3sFailureScenarios.has(run.scenario) && run.detectMs !== null).map((run) => run.detectMs as number);
  const lateness = daemonRuns.flatMap((run) => run.podLateness.map((p) => p.lateMs));
  return {
    scenarios: results.length,
    daemon: { endedHealthy: daemonRuns.filter((r) => r.endedHealthy).length, disruptive: daemonDisruptive },
    comparisons,
    withinFloor: { within: of - misses.length, of, misses },
    floorRatios: ratios,
    k3sDetectMaxMs: k3sDetect.length === 0 ? null : Math.max(...k3sDetect),
    k3sDetectScenarios: [...k3sFailureScenarios],
    podLatenessMaxMs: lateness.length === 0 ? null : Math.max(...lateness),
    podDeletionsTimed: lateness.length,
  };
}
