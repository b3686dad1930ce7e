// The runbook checks in a scenario run, timed as the daemon times them: once each time the node
// becomes healthy, and every `checks.every` of node time from the daemon's start, on their own
// timer (the daemon's setInterval), not at the iteration after. A daemon that stops (a reboot, a
// restart) forgets what it said, as the real one does.
import type { Config } from "../../config/schema.js";
import type { Phase } from "../../core/types.js";
import type { Journal, NoteLevel } from "../../journal/types.js";
import type { Clock } from "../../ports.js";
import { createCheckRunner, type CheckRunner } from "../../runbook-checks/check-runner.js";
import type { RunbookCheck } from "../../runbook-checks/check-result.js";

const QUIET = { debug() {}, info() {}, warn() {}, error() {} };

/** Drives the checks from the scenario runner. */
export interface ScenarioChecks {
  /** The daemon started at node time `nodeNow`. */
  daemonStarted(journal: Journal, nodeNow: number): void;
  daemonStopped(): void;
  /** Node time of the next timed run, or null while no daemon runs. */
  dueAt(): number | null;
  /** At node time `nodeNow`: every check runs if the timer is due (a no-op otherwise, or with no daemon). */
  runDue(nodeNow: number): Promise<void>;
  afterIteration(phase: Phase): Promise<void>;
}

/** `said` receives every finding the checks announce. */
export function createScenarioChecks(checks: RunbookCheck[], config: Config, clock: Clock, said: (level: NoteLevel, message: string) => void): ScenarioChecks {
  let runner: CheckRunner | null = null;
  let nextAt = 0;
  return {
    daemonStarted(journal, nodeNow) {
      runner?.close();
      const recordNote: Journal["recordNote"] = (level, key, message, at) => {
        journal.recordNote(level, key, message, at);
        said(level, message);
      };
      const remedies = {
        planAction: journal.planAction.bind(journal), startAction: journal.startAction.bind(journal),
        finishAction: journal.finishAction.bind(journal), actionStamps: journal.actionStamps.bind(journal),
      };
      runner = createCheckRunner({ checks, journal: { recordNote, ...remedies }, logger: QUIET, clock, timeoutMs: config.checks.timeout });
      nextAt = nodeNow + config.checks.every;
    },
    daemonStopped() {
      runner?.close();
      runner = null;
    },
    dueAt: () => (runner === null ? null : nextAt),
    async runDue(nodeNow) {
      if (!runner || nodeNow < nextAt) return;
      nextAt += config.checks.every;
      await runner.runAll("every checks.every");
    },
    async afterIteration(phase) {
      if (!runner) return;
      // The runner runs the checks itself when the node becomes healthy (after a recovery too).
      runner.observePhase(phase);
      await runner.idle();
    },
  };
}
