// The recovery bench over the whole scenario catalog: the daemon, the two baselines and the
// runbook operator on every scenario, plus the oracle's floor (the best of the instant plans).
import type { Scenario } from "../../src/sim/scenario/schema.js";
import { parseConfig } from "../../src/config/load.js";
import type { Contender } from "./contender.js";
import { cooldownRepair } from "./cooldown-repair.js";
import { daemonContender } from "./daemon-contender.js";
import { drive, type RunMetrics } from "./drive.js";
import { naiveRestart } from "./naive-restart.js";
import { runbookOperator } from "./operator.js";
import { instantPlans, oracleContender } from "./oracle.js";

/** The floor for one scenario: the fastest lasting recovery among the instant plans. */
export interface Floor {
  healthyMs: number | null;
  plan: string | null;
}

/** One scenario's results. */
export interface ScenarioResult {
  scenario: string;
  runs: RunMetrics[];
  floor: Floor;
}

/** The contenders compared, daemon first, for a scenario (the daemon's tick comes from its config). */
export function contendersFor(scenario: Scenario): Contender[] {
  const config = parseConfig(scenario.config, `scenario ${scenario.name}: config`);
  return [daemonContender(config.timing.tick), naiveRestart, cooldownRepair, runbookOperator];
}

/** Run one scenario with every contender and every instant plan. */
export async function runScenarioBench(scenario: Scenario): Promise<ScenarioResult> {
  const runs: RunMetrics[] = [];
  for (const contender of contendersFor(scenario)) runs.push(await drive(scenario, contender));
  let floor: Floor = { healthyMs: null, plan: null };
  for (const plan of instantPlans()) {
    const run = await drive(scenario, oracleContender(plan));
    if (run.healthyMs !== null && (floor.healthyMs === null || run.healthyMs < floor.healthyMs)) floor = { healthyMs: run.healthyMs, plan: run.contender };
  }
  // A contender cannot beat the floor by construction unless the floor's plans miss its trick: keep
  // the floor honest by taking the best of everything measured.
  for (const run of runs) {
    if (run.healthyMs !== null && (floor.healthyMs === null || run.healthyMs < floor.healthyMs)) floor = { healthyMs: run.healthyMs, plan: run.contender };
  }
  return { scenario: scenario.name, runs, floor };
}
