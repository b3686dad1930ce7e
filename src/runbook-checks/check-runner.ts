// Runs the runbook checks outside the loop's iteration: once each time the node becomes healthy
// (after a boot, after a recovery) and then every `everyMs`. A run never overlaps the previous one,
// each check has its own timeout, and each finding is said once while it lasts (journal + journald):
// crit at priority err, warn at warning, "could not tell" at info.
import type { Journal } from "../journal/types.js";
import type { Clock, Logger } from "../ports.js";
import { cannotLook, type CheckResult, type Finding, type RemedyJournal, type RunbookCheck } from "./check-result.js";

export interface CheckRunnerDeps {
  checks: RunbookCheck[];
  /** Notes for the findings; the actions table for a check's remedy when the journal has one. */
  journal: Pick<Journal, "recordNote"> & Partial<RemedyJournal>;
  logger: Logger;
  clock: Clock;
  timeoutMs: number;
}

/** The last result of one check. */
export interface CheckRecord {
  name: string;
  at: number;
  result: CheckResult;
}

export interface CheckRunner {
  /** Run every check now (joins a run in progress); resolves with their results. */
  runAll(why: string): Promise<CheckRecord[]>;
  /** Tell the runner the loop's phase; becoming healthy runs the checks. */
  observePhase(phase: string): void;
  /** The last results, by check. */
  results(): CheckRecord[];
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
  /** No more runs or announcements (the journal is about to close). */
  close(): void;
}

const NOTE_LEVEL = { crit: "err", warn: "warning", unknown: "info" } as const;

/** Build the runner; nothing runs until `runAll` or a healthy phase. */
export function createCheckRunner(deps: CheckRunnerDeps): CheckRunner {
  const last = new Map<string, CheckRecord>();
  const said = new Map<string, Set<string>>();
  let running: Promise<CheckRecord[]> | null = null;
  let healthy = false;
  let closed = false;
  let troubled = false;
  const { journal } = deps;
  if (journal.planAction && journal.startAction && journal.finishAction && journal.actionStamps) {
    for (const check of deps.checks) check.attach?.(journal as RemedyJournal);
  }

  const runOne = async (check: RunbookCheck): Promise<CheckRecord> => {
    const signal = AbortSignal.timeout(deps.timeoutMs);
    let result: CheckResult;
    try {
      result = await Promise.race([
        check.run(signal),
        new Promise<CheckResult>((resolve) => signal.addEventListener("abort", () => resolve(cannotLook(`no answer within ${deps.timeoutMs / 1000} s`)), { once: true })),
      ]);
    } catch (error) {
      result = cannotLook(`the check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const record = { name: check.name, at: deps.clock.now(), result };
    last.set(check.name, record);
    if (!closed) announce(check.name, result, record.at);
    return record;
  };

  const announce = (name: string, result: CheckResult, at: number): void => {
    // A check that could not look at all keeps what it said: nothing is known to have changed.
    if (result.level === "unknown" && result.findings.length === 0) return;
    const before = said.get(name) ?? new Set<string>();
    const now = new Set(result.findings.map((f) => f.key));
    for (const finding of result.findings) if (!before.has(finding.key)) tell(name, finding, at);
    for (const key of before) if (!now.has(key)) deps.logger.info(`${name}: resolved (${key})`, { check: name });
    said.set(name, now);
  };

  const tell = (name: string, finding: Finding, at: number): void => {
    const message = `${finding.text} (run: ${finding.next})`;
    deps.journal.recordNote(NOTE_LEVEL[finding.level], `check:${name}:${finding.key}`, message, at);
    const log = finding.level === "crit" ? deps.logger.error : finding.level === "warn" ? deps.logger.warn : deps.logger.info;
    log.call(deps.logger, message, { check: name, finding: finding.key });
  };

  const runAll = (why: string): Promise<CheckRecord[]> => {
    if (closed) return Promise.resolve([...last.values()]);
    running ??= (async () => {
      deps.logger.debug(`runbook checks: ${why}`);
      try {
        return await Promise.all(deps.checks.map(runOne));
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    runAll,
    observePhase(phase) {
      const nowHealthy = phase === "healthy";
      // A recovery: healthy again after the daemon had to act (recovering) or gave up.
      if (phase === "recovering" || phase === "gave-up") troubled = true;
      if (nowHealthy && !healthy) {
        if (troubled) for (const check of deps.checks) check.afterRecovery?.();
        troubled = false;
        void runAll("the node became healthy");
      }
      healthy = nowHealthy;
    },
    results: () => [...last.values()],
    idle: async () => void (await running),
    close: () => void (closed = true),
  };
}
