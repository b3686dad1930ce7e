// The daemon's maintenance: the checks over the real (or the simulator's) ports, the runner and its
// node-cron triggers, started beside the recovery loop, never inside its iteration.
import type { Config } from "../config/schema.js";
import type { Journal } from "../journal/types.js";
import type { Clock, Logger } from "../ports.js";
import { buildChecks, maintenanceTimeZone, type CurrentBoot, type MaintenancePorts } from "./check-set.js";
import { startCronTriggers } from "./cron-triggers.js";
import { createMaintenanceRunner, type MaintenanceRunner } from "./runner.js";

/** The running maintenance: its runner (status, run now) and how to stop it. */
export interface RunningMaintenance {
  runner: MaintenanceRunner;
  /** Told the loop's phase after each iteration: becoming healthy runs what waited for it (the count after a boot). */
  observePhase(phase: string): void;
  stop(graceMs: number): Promise<void>;
}

/** The journal's current boot (the newest recorded), for the count after each boot. */
export function journalBoot(journal: Pick<Journal, "boots">): CurrentBoot {
  return () => {
    const [boot] = journal.boots(1);
    return boot ? { id: boot.bootId, since: boot.firstSeenAt } : null;
  };
}

/** Whether startMaintenance will run the scheduler, and in it the resilience audit. */
export function maintenanceWillRun(config: Config, ports: MaintenancePorts | undefined, journal: Pick<Journal, "maintenance">): { scheduler: boolean; audit: boolean } {
  const scheduler = config.maintenance.enabled && ports !== undefined && journal.maintenance !== undefined;
  return { scheduler, audit: scheduler && ports?.workloads !== undefined };
}

/** Start maintenance, or return null when it is off or the journal has no maintenance tables. */
export function startMaintenance(deps: { config: Config; ports: MaintenancePorts | undefined; journal: Journal; clock: Clock; logger: Logger }): RunningMaintenance | null {
  const { config } = deps;
  const store = deps.journal.maintenance;
  if (!maintenanceWillRun(config, deps.ports, deps.journal).scheduler || !deps.ports || !store) return null;
  const checks = buildChecks(config, deps.ports, store, deps.clock, journalBoot(deps.journal));
  const timeZone = maintenanceTimeZone(config);
  // Nothing is known to be healthy until the loop says so.
  let healthy = false;
  const runner = createMaintenanceRunner({ checks, store, clock: deps.clock, logger: deps.logger, timeZone, timeoutMs: config.maintenance.checkTimeout, nodeHealthy: () => healthy });
  const stopTriggers = startCronTriggers({ runner, expressions: checks.map((c) => c.schedule.expression), timeZone, catchUpDelayMs: config.maintenance.catchUpDelay, logger: deps.logger });
  // Each new finding also goes to the journal's notes, so `history` shows it beside the remedies.
  runner.onFinding(({ check, finding, at }) => {
    const level = finding.level === "crit" ? "err" : finding.level === "warn" ? "warning" : "info";
    deps.journal.recordNote(level, `maintenance:${check}:${finding.key}:${at}`, `maintenance ${check} ${finding.level}: ${finding.text}`, at);
  });
  deps.logger.info(`maintenance: ${checks.length} checks scheduled in time zone ${timeZone}`);
  return {
    runner,
    observePhase(phase) {
      const was = healthy;
      healthy = phase === "healthy";
      if (healthy && !was) void runner.runTriggered().catch((error: Error) => deps.logger.warn(`maintenance: the runs the healthy node asked for failed: ${error.message}`));
    },
    async stop(graceMs) {
      await stopTriggers();
      await runner.stop(graceMs);
    },
  };
}
