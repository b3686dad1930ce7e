// The scheduled maintenance in a scenario run: the daemon's real runner and checks over the
// simulated node's ports, on the virtual clock. Each time the daemon (re)starts the runner waits its
// catch-up delay, then asks at every tick what is due, exactly as the daemon's node-cron triggers
// and catch-up do; the node becoming healthy runs what a trigger asks for at once (the count after a
// boot), as the daemon does. Every finding said and every run, with the daemon's phase when it
// began, is kept for the judge; the findings are put in the timeline.
import type { Config } from "../../config/schema.js";
import type { Journal } from "../../journal/types.js";
import type { MaintenanceRun } from "../../journal/maintenance.js";
import { buildChecks, maintenanceTimeZone } from "../../maintenance/check-set.js";
import { journalBoot } from "../../maintenance/start.js";
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

/** One run of a check in a run: when it began, why, its level, and the daemon's phase then. */
export interface CheckRun {
  check: string;
  at: number;
  why: string;
  level: string;
  phase: string | null;
}

/** The hook the runner calls: when the daemon starts, each tick, and when the node goes down. */
export function createScenarioMaintenance(config: Config, node: SongNodesNode, clock: Clock, said: (finding: SaidFinding) => void, wanted = true) {
  const ports = createSimMaintenancePorts(node);
  let runner: MaintenanceRunner | null = null;
  let startsAt = 0;
  let phase: string | null = null;
  const findings: SaidFinding[] = [];
  const runs: CheckRun[] = [];
  // The daemon's phase when each run began, by check and start time (the virtual clock stands still in a run).
  const phaseAtStart = new Map<string, string | null>();
  const keep = (done: readonly MaintenanceRun[]) => {
    for (const run of done) runs.push({ check: run.check, at: run.startedAt, why: run.why, level: run.level, phase: phaseAtStart.get(`${run.check}@${run.startedAt}`) ?? null });
  };
  return {
    findings,
    runs,
    /** The daemon started with `journal` at `now`. */
    attach(journal: Journal, now: number): void {
      if (!wanted || !config.maintenance.enabled || !journal.maintenance) return;
      phase = null;
      const checks = buildChecks(config, ports, journal.maintenance, clock, journalBoot(journal)).map((scheduled) => ({
        ...scheduled,
        check: { ...scheduled.check, run: (signal: AbortSignal) => (phaseAtStart.set(`${scheduled.check.name}@${clock.now()}`, phase), scheduled.check.run(signal)) },
      }));
      runner = createMaintenanceRunner({
        checks, store: journal.maintenance, clock, logger: QUIET,
        timeZone: maintenanceTimeZone(config), timeoutMs: config.maintenance.checkTimeout, nodeHealthy: () => phase === "healthy",
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
    /** After an iteration of the daemon that ended in `current`. */
    async tick(now: number, current: string | null): Promise<void> {
      if (runner === null) return;
      const was = phase;
      phase = current;
      if (phase === "healthy" && was !== "healthy") keep(await runner.runTriggered());
      if (now >= startsAt) keep(await runner.runDue());
      await runner.idle();
    },
  };
}
