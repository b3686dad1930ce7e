// A StatusSource written by hand for the socket tests, backed by the real SQLite journal so pauses,
// history and boots are real state that survives a "daemon restart" (close and reopen the file).
import type { Phase, ProbeName, RemedyKind } from "../../src/core/types.js";
import { PROBE_NAMES } from "../../src/core/types.js";
import type { Journal } from "../../src/journal/types.js";
import type { ActionCount, BudgetStatus, StatusSnapshot, StatusSource } from "../../src/status/source.js";

const BUDGETS: { kind: RemedyKind; max: number; windowMs: number }[] = [
  { kind: "restart-k3s", max: 3, windowMs: 3_600_000 },
  { kind: "killall-k3s", max: 1, windowMs: 3_600_000 },
  { kind: "restart-registry", max: 3, windowMs: 3_600_000 },
  { kind: "delete-pods", max: 20, windowMs: 3_600_000 },
];

const REASONS: Record<ProbeName, string> = {
  k3sUnit: "k3s.service is active (running)",
  containerdSocket: "/run/k3s/containerd/containerd.sock accepts connections",
  api: "GET /readyz answered 200",
  nodes: "1 of 1 nodes Ready",
  pods: "34 of 34 pods Running or Completed",
  registry: "registry container running, /v2/ answers",
  k3sLog: "no containerd corruption in the k3s log",
};

export interface FakeSource extends StatusSource {
  /** How often check-now was asked. */
  checks: { reason: string; by: string }[];
  phase: Phase;
}

/** A fake daemon: phase and probes in memory, everything else read from and written to `journal`. */
export function createFakeSource(journal: Journal, options: { bootId: string; startedAt: number; now: () => number }): FakeSource {
  journal.recordBoot(options.bootId, options.startedAt);
  const since = options.startedAt;
  const source: FakeSource = {
    checks: [],
    phase: "healthy",
    snapshot(now: number): StatusSnapshot {
      const pause = journal.currentPause(now);
      const boot = journal.boots(50).find((b) => b.bootId === options.bootId);
      const last = journal.lastAction();
      const stamps = journal.actionStamps(now - 3_600_000);
      const budgets: BudgetStatus[] = BUDGETS.map((b) => {
        const used = stamps.filter((s) => s.kind === b.kind && s.at > now - b.windowMs).length;
        return { ...b, used, left: Math.max(0, b.max - used) };
      });
      const counts = new Map<string, ActionCount>();
      for (const entry of journal.history({ kind: "action", limit: 1000 })) {
        const kind = entry.detail.kind as RemedyKind;
        const outcome = entry.detail.outcome as ActionCount["outcome"];
        const key = `${kind}/${outcome}`;
        counts.set(key, { kind, outcome, count: (counts.get(key)?.count ?? 0) + 1 });
      }
      return {
        phase: pause ? "paused" : source.phase,
        verdict: { verdict: "healthy", cause: `every probe ok${pause ? "; remedies are paused" : ""}`, detail: "" },
        phaseSince: since,
        bootId: options.bootId,
        bootStartedAt: options.startedAt,
        timeToHealthyMs: boot?.timeToHealthyMs ?? null,
        probes: Object.fromEntries(PROBE_NAMES.map((name) => [name, { status: "ok", reason: REASONS[name], since }])) as StatusSnapshot["probes"],
        ladder: null,
        budgets,
        pause: pause ? { until: pause.until, reason: pause.reason, by: pause.by, at: pause.at } : null,
        dryRun: false,
        gaveUp: null,
        lastAction: last ? { kind: last.kind, outcome: last.outcome, detail: last.detail, at: last.finishedAt ?? last.plannedAt } : null,
        version: "0.1.0-test",
        startedAt: options.startedAt,
        actionCounts: [...counts.values()],
      };
    },
    history: (filter) => journal.history(filter),
    boots: (limit) => journal.boots(limit),
    pause(durationMs, reason, by) {
      const at = options.now();
      const untilMs = at + durationMs;
      journal.recordPause(untilMs, reason, at, by);
      return { until: untilMs, reason, at, by };
    },
    resume(reason, by) {
      journal.endPause(options.now(), `resumed by ${by}: ${reason}`);
    },
    checkNow(reason, by) {
      source.checks.push({ reason, by });
      journal.recordNote("info", "check-now", `check requested by ${by}: ${reason}`, options.now());
    },
  };
  return source;
}
