// The daemon as the status and control sockets see it: an in-memory snapshot of the loop plus
// bounded journal queries. Control requests are recorded in the journal, then queued for the loop.
import { cacheHeardAt } from "../kube/cache-age.js";
import type { CacheHealth } from "../core/types.js";
import type { Config } from "../config/schema.js";
import { allBudgets } from "../core/budgets.js";
import { LADDER } from "../core/ladder.js";
import { PROBE_NAMES, type ProbeName } from "../core/types.js";
import { nodeVerdict } from "../core/verdict.js";
import type { StatusSnapshot, StatusSource, ProbeStatus, ActionCount } from "../status/source.js";
import { VERSION } from "../version.js";
import type { Clock } from "../ports.js";
import type { Loop } from "./loop.js";
import type { MaintenanceRunner } from "../maintenance/runner.js";
import { computeTrends } from "../maintenance/checks/usage-trends.js";

export interface StatusSourceDeps {
  loop: Loop;
  config: Config;
  bootId: string;
  bootStartedAt: number;
  startedAt: number;
  clock: Clock;
  /** Wake the loop at once (check-now, pause, resume). */
  wake(why: string): void;
  actionCounts(): ActionCount[];
  /** The maintenance runner, when maintenance is on. */
  maintenance?: MaintenanceRunner;
  /** The notification outbox's counts, when the daemon has one. */
  notificationStats?(): StatusSnapshot["notifications"];
}

/** The StatusSource the sockets serve. */
export function createStatusSource(deps: StatusSourceDeps): StatusSource {
  const { loop, config } = deps;
  const journal = loop.journal;
  return {
    snapshot(now): StatusSnapshot {
      const state = loop.state();
      const obs = loop.observations();
      const probes = Object.fromEntries(
        PROBE_NAMES.map((name): [ProbeName, ProbeStatus] => [name, obs === null ? { status: "unknown", reason: "not looked yet", since: deps.startedAt } : { status: obs[name].status, reason: obs[name].reason, since: obs[name].since, ...heard(cacheHeardAt(obs[name].detail as { cache?: CacheHealth } | null)) }]),
      ) as Record<ProbeName, ProbeStatus>;
      const boot = journal.boots(20).find((b) => b.bootId === deps.bootId);
      const pause = journal.currentPause(now);
      const last = journal.lastAction();
      return {
        phase: state.phase,
        phaseSince: state.phaseSince,
        verdict: obs === null ? { verdict: "unknown", cause: "the daemon has not looked yet", detail: "" } : nodeVerdict(obs, state),
        bootId: deps.bootId,
        bootStartedAt: boot?.firstSeenAt ?? deps.bootStartedAt,
        timeToHealthyMs: boot?.timeToHealthyMs ?? null,
        probes,
        ladder: state.ladder === null ? null : { symptom: state.ladder.symptom, rung: state.ladder.rung, remedy: LADDER[state.ladder.symptom][state.ladder.rung] ?? null, verifyUntil: state.ladder.verifyUntil },
        budgets: allBudgets(config, state.actions, now).map(({ kind, used, max, windowMs, left }) => ({ kind, used, max, windowMs, left })),
        pause: state.pause === null ? null : { until: state.pause.until, reason: state.pause.reason, by: pause?.by ?? "unknown", at: pause?.at ?? state.phaseSince },
        dryRun: config.dryRun,
        gaveUp: state.gaveUp === null ? null : { why: state.gaveUp.why, at: state.gaveUp.at, retryAt: state.gaveUp.retryAt },
        lastAction: last === null ? null : { kind: last.kind, outcome: last.outcome, detail: last.detail || last.why, at: last.finishedAt ?? last.startedAt ?? last.plannedAt },
        version: VERSION,
        startedAt: deps.startedAt,
        actionCounts: deps.actionCounts(),
        lastIteration: (() => {
          const report = loop.lastIteration();
          return report === null ? null : { at: report.now, durationMs: report.durationMs, decideMs: report.decideMs, count: report.count, probesRead: report.probesRead, rested: report.rested === true, rests: report.rests };
        })(),
        ...(deps.maintenance ? { maintenance: deps.maintenance.statuses() } : {}),
        notifications: deps.notificationStats?.() ?? null,
      };
    },
    history: (filter) => journal.history(filter),
    boots: (limit) => journal.boots(limit),
    pause(durationMs, reason, by) {
      const at = deps.clock.now();
      const untilMs = at + durationMs;
      journal.recordPause(untilMs, reason, at, by);
      loop.request({ kind: "pause", until: untilMs, reason });
      deps.wake(`pause by ${by}`);
      return { until: untilMs, reason, at, by };
    },
    resume(reason, by) {
      journal.endPause(deps.clock.now(), `resumed by ${by}: ${reason}`);
      loop.request({ kind: "resume", reason: `${reason} (by ${by})` });
      deps.wake(`resume by ${by}`);
    },
    async runMaintenance(name, by) {
      return deps.maintenance ? deps.maintenance.runNow(name, `by operator (${by})`) : null;
    },
    usageReport(now) {
      const samples = journal.maintenance?.samplesSince(now - 60 * 86_400_000) ?? [];
      return { trends: computeTrends(samples, now), top: config.maintenance.trends.top, samples: samples.length };
    },
    recordDrill(note, by) {
      const at = deps.clock.now();
      journal.maintenance?.recordDrill(note, by, at);
      journal.recordNote("info", `drill:${at}`, `disaster-recovery drill recorded by ${by}: ${note}`, at);
      return { at, note, by };
    },
    checkNow(reason, by) {
      const at = deps.clock.now();
      journal.recordNote("info", `check-now:${at}`, `check requested by ${by}: ${reason}`, at);
      deps.wake(`check-now by ${by}`);
    },
  };
}

function heard(at: number | null): { heardAt?: number } {
  return at === null ? {} : { heardAt: at };
}
