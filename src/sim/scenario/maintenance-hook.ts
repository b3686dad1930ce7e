// The scheduled maintenance in a scenario run: the daemon's real runner and checks over the
// simulated node's ports, on the virtual clock. Each time the daemon (re)starts the runner waits its
// catch-up delay, then asks at every tick what is due, exactly as the daemon's node-cron triggers
// and catch-up do. Every finding said is kept for the judge and put in the timeline.
import type { Config } from "../../config/schema.js";
import type { Journal } from "../../journal/types.js";
import { buildChecks, maintenanceTimeZone } from "../../maintenance/check-set.js";
import { createMaintenanceRunner, type MaintenanceRunner } from "../../maintenance/runner.js";
import type { Finding } from "../../maintenance/types.js";
import type { Clock, Logger } from "../../ports.js";
import type { SongNodesNode } from "../model/songnodes-node.js";
import { createSimMaintenancePorts } from "../ports/sim-maintenance.js";

/** One finding as said in a run: its check, level, text and node time. */
export interface SaidFinding {
  check: string;
  level: Finding["level"];
  text: string;
  at: number;
}

const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The hook the runner calls: when the daemon starts, each tick, and when the node goes down. */
export function createScenarioMaintenance(config: Config, node: SongNodesNode, clock: Clock, said: (finding: SaidFinding) => void, wanted = true) {
  const ports = createSimMaintenancePorts(node);
  let runner: MaintenanceRunner | null = null;
  let startsAt = 0;
  const findings: SaidFinding[] = [];
  return {
    findings,
    /** The daemon started with `journal` at `now`. */
    attach(journal: Journal, now: number): void {
      if (!wanted || !config.maintenance.enabled || !journal.maintenance) return;
      runner = createMaintenanceRunner({
        checks: buildChecks(config, ports, journal.maintenance, clock), store: journal.maintenance, clock, logger: QUIET,
        timeZone: maintenanceTimeZone(config), timeoutMs: config.maintenance.checkTimeout,
      });
      runner.onFinding(({ check, finding, at }) => {
        const entry = { check, level: finding.level, text: finding.text, at };
        findings.push(entry);
        said(entry);
      });
      startsAt = now + config.maintenance.catchUpDelay;
    },
    detach(): void {
      runner = null;
    },
    async tick(now: number): Promise<void> {
      if (runner !== null && now >= startsAt) await runner.runDue();
    },
  };
}
