// The recovery bench over the whole scenario catalog: the daemon, the two baselines and the
// runbook operator on every scenario, plus the oracle's floor (the best of the instant plans) and
// the fair floor (the same, keeping the runbook's own hold-off before a force delete).
import type { Scenario } from "../../src/sim/scenario/schema.js";
import { parseConfig } from "../../src/config/load.js";
import type { Contender } from "./contender.js";
import { cooldownRepair } from "./cooldown-repair.js";
import { daemonContender } from "./daemon-contender.js";
import { admissible } from "./admissible.js";
import { drive, type RunMetrics } from "./drive.js";
import { naiveRestart } from "./naive-restart.js";
import { runbookOperator } from "./operator.js";
import { instantPlans, oracleContender, runbookPlans } from "./oracle.js";

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
  /**
   * What the daemon is measured against: the floor over the runs that keep the runbook's hold-off
   * (Terminating for more than 5 minutes) and do nothing the scenario's expectations forbid.
   */
  fairFloor: Floor;
}

/** The contenders compared, daemon first, for a scenario (the daemon's tick comes from its config). */
export function contendersFor(scenario: Scenario): Contender[] {
  const config = parseConfig(scenario.config, `scenario ${scenario.name}: config`);
  return [daemonContender(config.timing.tick), naiveRestart, cooldownRepair, runbookOperator];
}

const better = (floor: Floor, run: RunMetrics): Floor =>
  run.healthyMs !== null && (floor.healthyMs === null || run.healthyMs < floor.healthyMs) ? { healthyMs: run.healthyMs, plan: run.contender } : floor;

/** Run one scenario with every contender (and `extra` ones, e.g. an earlier commit's daemon) and every instant plan. */
export async function runScenarioBench(scenario: Scenario, extra: Contender[] = []): Promise<ScenarioResult> {
  const runs: RunMetrics[] = [];
  for (const contender of [...contendersFor(scenario), ...extra]) runs.push(await drive(scenario, contender));
  let floor: Floor = { healthyMs: null, plan: null };
  let fairFloor: Floor = { healthyMs: null, plan: null };
  // Fair: keeps the runbook's hold-off and does nothing the scenario forbids (bench/recovery/admissible.ts).
  const fair = (run: RunMetrics): void => {
    if (admissible(scenario, run)) fairFloor = better(fairFloor, run);
  };
  for (const plan of instantPlans()) {
    const run = await drive(scenario, oracleContender(plan));
    floor = better(floor, run);
    // A plan that deletes no pod never force-deletes early: it keeps the runbook's hold-off as it is.
    if (!plan.pods) fair(run);
  }
  for (const plan of runbookPlans()) fair(await drive(scenario, oracleContender(plan)));
  // A contender cannot beat the floor by construction unless the floor's plans miss its trick: keep
  // the floor honest by taking the best of everything measured (every contender keeps the runbook's hold-off).
  for (const run of runs) {
    floor = better(floor, run);
    fair(run);
  }
  return { scenario: scenario.name, runs, floor, fairFloor };
}
