// Runs the maintenance checks: one at a time, each with its own timeout, outside the recovery
// loop's iteration. Which checks are due is decided by due.ts from the journal's last runs; the
// caller says when to look (node-cron in the daemon, the virtual clock in the simulator). A check
// may also ask to run besides its schedule (its trigger: after a boot, after a rollout), and one
// marked `whenHealthy` never starts while the node is not healthy. Each new finding is said once,
// at warning (warn) or err (crit), and handed to the listeners; only a run that looked and no longer
// finds it clears it.
import { formatDuration } from "../config/duration.js";
import type { MaintenanceRun, MaintenanceStore } from "../journal/maintenance.js";
import type { Clock, Logger } from "../ports.js";
import { nextRunAt, type CronSchedule } from "./cron-slots.js";
import { deadline } from "../exec/deadline.js";
import { askTrigger } from "./ask-trigger.js";
import { dueChecks } from "./due.js";
import { couldNotLook, type CheckResult, type Finding, type MaintenanceCheck } from "./types.js";

/** A check with its schedule. */
export interface ScheduledCheck {
  check: MaintenanceCheck;
  schedule: CronSchedule;
}

/** One check as `maintenance` and the status socket show it. */
export interface CheckStatus {
  name: string;
  cadence: string;
  schedule: string;
  running: boolean;
  lastRun: MaintenanceRun | null;
  nextRunAt: number | null;
}

/** What a new finding tells its listeners (notifications feed on this). */
export interface FindingEvent {
  check: string;
  finding: Finding;
  at: number;
}

/** The runner. */
export interface MaintenanceRunner {
  /** Queue every check due at the clock's now, and every check a trigger asks for; resolves when those runs end. */
  runDue(): Promise<MaintenanceRun[]>;
  /** Queue only the checks a trigger asks for (the node just became healthy: after a boot). */
  runTriggered(): Promise<MaintenanceRun[]>;
  /** Resolves when no run is queued or in progress. */
  idle(): Promise<void>;
  /** Run one check now, whatever its schedule ("by operator"); null when it is already running or unknown. */
  runNow(name: string, why?: string): Promise<MaintenanceRun | null>;
  statuses(): CheckStatus[];
  onFinding(listener: (event: FindingEvent) => void): () => void;
  /** Wait for the run in progress, at most `graceMs`, and start no more. */
  stop(graceMs: number): Promise<void>;
}

/** Build the runner over `checks`. */
export function createMaintenanceRunner(deps: {
  checks: readonly ScheduledCheck[];
  store: MaintenanceStore;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  timeoutMs: number;
  /** Whether the node is healthy now; checks marked `whenHealthy` wait for it. Absent: always. */
  nodeHealthy?: () => boolean;
}): MaintenanceRunner {
  const byName = new Map(deps.checks.map((c) => [c.check.name, c]));
  const running = new Set<string>();
  const listeners = new Set<(event: FindingEvent) => void>();
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const stopController = new AbortController();
  const healthy = deps.nodeHealthy ?? (() => true);
  const mayStart = (check: MaintenanceCheck) => !check.whenHealthy || healthy();

  // null: the node stopped being healthy while the run waited its turn; it stays due (or triggered).
  // An operator's run (`maintenance run NAME`) is theirs to time and is never held back.
  const runOne = async (scheduled: ScheduledCheck, why: string, byOperator: boolean): Promise<MaintenanceRun | null> => {
    const { check } = scheduled;
    if (!byOperator && !mayStart(check)) return null;
    const startedAt = deps.clock.now();
    const timeoutMs = Math.max(deps.timeoutMs, check.timeoutMs ?? 0);
    const limit = deadline(timeoutMs, stopController.signal);
    let result: CheckResult;
    try {
      result = await Promise.race([
        check.run(limit.signal),
        new Promise<CheckResult>((resolve) => limit.signal.addEventListener("abort", () => resolve({ level: "unknown", reason: `no result within ${formatDuration(timeoutMs)}`, next: null, findings: [] }), { once: true })),
      ]);
    } catch (error) {
      // A check must not throw; if one does, it is a bug to see, not a reason to stop the others.
      result = { level: "unknown", reason: `the check failed: ${(error as Error).message}`, next: null, findings: [] };
    } finally {
      limit.dispose();
    }
    // Compared with the last run that looked: a run that could not (the API down, a timeout) neither
    // clears the open findings nor makes the next run say them again.
    const previous = deps.store.lastLookedRun(check.name);
    const run: MaintenanceRun = { check: check.name, startedAt, finishedAt: deps.clock.now(), level: result.level, reason: result.reason, next: result.next, findings: result.findings, why };
    deps.store.recordRun(run);
    announce(run, previous);
    return run;
  };

  const announce = (run: MaintenanceRun, previous: MaintenanceRun | null): void => {
    if (couldNotLook(run)) return;
    const before = new Set((previous?.findings ?? []).map((f) => f.key));
    for (const finding of run.findings) {
      if (before.has(finding.key)) continue;
      const message = `maintenance ${run.check} ${finding.level}: ${finding.text}; next: ${finding.next}`;
      const fields = { check: run.check, finding: finding.key, level: finding.level };
      if (finding.level === "crit") deps.logger.error(message, fields);
      else if (finding.level === "warn") deps.logger.warn(message, fields);
      else deps.logger.info(message, fields);
      for (const listener of [...listeners]) listener({ check: run.check, finding, at: run.finishedAt });
    }
    const now = new Set(run.findings.map((f) => f.key));
    const cleared = (previous?.findings ?? []).filter((f) => !now.has(f.key) && f.level !== "unknown");
    if (cleared.length > 0) deps.logger.info(`maintenance ${run.check}: cleared: ${cleared.map((f) => f.text).join("; ")}`, { check: run.check });
  };

  // One run at a time: checks share the API server and the disk with the node's recovery.
  const enqueue = (scheduled: ScheduledCheck, why: string, byOperator = false): Promise<MaintenanceRun | null> => {
    running.add(scheduled.check.name);
    const run = chain.then(() => runOne(scheduled, why, byOperator)).finally(() => running.delete(scheduled.check.name));
    chain = run.catch(() => undefined);
    return run;
  };

  // The checks whose trigger asks for a run now, queued; one trigger at a time, each with the check timeout.
  const triggered = async (): Promise<Promise<MaintenanceRun | null>[]> => {
    const runs: Promise<MaintenanceRun | null>[] = [];
    for (const scheduled of deps.checks) {
      const { check } = scheduled;
      if (stopped || !check.trigger || running.has(check.name) || !mayStart(check)) continue;
      const lastRunAt = deps.store.lastRuns().get(check.name)?.startedAt ?? null;
      const why = await askTrigger(check, { lastRunAt, timeoutMs: deps.timeoutMs, stop: stopController.signal, logger: deps.logger });
      if (why !== null && !stopped && !running.has(check.name)) runs.push(enqueue(scheduled, why));
    }
    return runs;
  };
  const ran = async (runs: Promise<MaintenanceRun | null>[]): Promise<MaintenanceRun[]> =>
    (await Promise.all(runs)).filter((run): run is MaintenanceRun => run !== null);

  return {
    async runDue() {
      if (stopped) return [];
      const last = deps.store.lastRuns();
      const due = dueChecks(
        deps.checks.map((c) => ({ name: c.check.name, schedule: c.schedule, lastRunAt: last.get(c.check.name)?.startedAt ?? null })),
        deps.clock.now(), deps.timeZone, running,
      ).filter((d) => mayStart(byName.get(d.name)!.check));
      const runs = due.map((d) => enqueue(byName.get(d.name)!, d.why));
      runs.push(...(await triggered()));
      return ran(runs);
    },
    async runTriggered() {
      return ran(await triggered());
    },
    idle: async () => void (await chain),
    async runNow(name, why = "by operator") {
      const scheduled = byName.get(name);
      if (stopped || !scheduled || running.has(name)) return null;
      return enqueue(scheduled, why, true);
    },
    statuses() {
      const last = deps.store.lastRuns();
      const now = deps.clock.now();
      return deps.checks.map(({ check, schedule }) => ({
        name: check.name, cadence: check.cadence, schedule: schedule.expression, running: running.has(check.name),
        lastRun: last.get(check.name) ?? null, nextRunAt: nextRunAt(schedule, deps.timeZone, now),
      }));
    },
    onFinding(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop(graceMs) {
      stopped = true;
      stopController.abort();
      await Promise.race([chain, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
