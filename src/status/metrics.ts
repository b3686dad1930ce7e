// GET /metrics in the Prometheus text exposition format (version 0.0.4). Names start with
// songnodes_watchdog_; docs/status-socket.md lists each one.
import { PROBE_NAMES, type Health, type Phase } from "../core/types.js";
import type { OverallVerdict } from "../core/verdict.js";
import type { StatusView } from "./status-view.js";

const PHASES: readonly Phase[] = [
  "waiting-for-k3s", "waiting-for-containerd", "waiting-for-api", "waiting-for-nodes",
  "pods-converging", "healthy", "recovering", "paused", "gave-up",
];
const HEALTHS: readonly Health[] = ["ok", "bad", "unknown"];
const VERDICTS: readonly OverallVerdict[] = ["healthy", "degraded", "unhealthy", "unknown"];

/** Escape a label value as the exposition format requires. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string>): string {
  const text = Object.entries(pairs).map(([name, value]) => `${name}="${label(value)}"`).join(",");
  return text ? `{${text}}` : "";
}

class Exposition {
  private readonly lines: string[] = [];
  family(name: string, type: "gauge" | "counter", help: string, samples: [Record<string, string>, number][]): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [pairs, value] of samples) this.lines.push(`${name}${labels(pairs)} ${Number.isFinite(value) ? value : "NaN"}`);
    return this;
  }
  text(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

const seconds = (ms: number) => ms / 1000;

/** Render the metrics for one status view. */
export function renderMetrics(view: StatusView): string {
  const m = new Exposition();
  m.family("songnodes_watchdog_info", "gauge", "Version of the running daemon.", [[{ version: view.version, boot_id: view.bootId }, 1]]);
  m.family("songnodes_watchdog_phase", "gauge", "1 for the current phase, 0 for the others.",
    PHASES.map((phase) => [{ phase }, phase === view.phase ? 1 : 0]));
  m.family("songnodes_watchdog_verdict", "gauge", "1 for the node's overall verdict (what status and check say), 0 for the others.",
    VERDICTS.map((verdict) => [{ verdict }, verdict === view.verdict.verdict ? 1 : 0]));
  m.family("songnodes_watchdog_verdict_cause_info", "gauge", "The verdict's cause, in the words status and check print.",
    [[{ verdict: view.verdict.verdict, cause: view.verdict.cause }, 1]]);
  m.family("songnodes_watchdog_phase_since_seconds", "gauge", "When the current phase began (unix time).", [[{}, seconds(view.phaseSince)]]);
  m.family("songnodes_watchdog_actions_total", "counter", "Remedies recorded in the journal, by kind and outcome.",
    view.actionCounts.map((c) => [{ kind: c.kind, outcome: c.outcome }, c.count]));
  m.family("songnodes_watchdog_budget_left", "gauge", "Remedies of this kind still allowed in the sliding window.",
    view.budgets.map((b) => [{ kind: b.kind }, b.left]));
  m.family("songnodes_watchdog_budget_max", "gauge", "Remedies of this kind allowed per window.", view.budgets.map((b) => [{ kind: b.kind }, b.max]));
  m.family("songnodes_watchdog_budget_window_seconds", "gauge", "Length of the budget's sliding window.",
    view.budgets.map((b) => [{ kind: b.kind }, seconds(b.windowMs)]));
  m.family("songnodes_watchdog_boot_recovery_seconds", "gauge", "This boot's time to healthy; NaN until it is healthy.",
    [[{}, view.timeToHealthyMs === null ? Number.NaN : seconds(view.timeToHealthyMs)]]);
  m.family("songnodes_watchdog_boot_elapsed_seconds", "gauge", "Time since boot.", [[{}, seconds(view.sinceBootMs)]]);
  m.family("songnodes_watchdog_probe_status", "gauge", "1 for each probe's current status, 0 for the others.",
    PROBE_NAMES.flatMap((probe) => HEALTHS.map((status) => [{ probe, status }, view.probes[probe]?.status === status ? 1 : 0] as [Record<string, string>, number])));
  m.family("songnodes_watchdog_paused", "gauge", "1 while remedies are paused for maintenance.", [[{}, view.pause ? 1 : 0]]);
  m.family("songnodes_watchdog_pause_left_seconds", "gauge", "Time left in the current pause (0 when not paused).", [[{}, view.pause ? seconds(view.pause.leftMs) : 0]]);
  m.family("songnodes_watchdog_dry_run", "gauge", "1 when the daemon only records what it would do.", [[{}, view.dryRun ? 1 : 0]]);
  m.family("songnodes_watchdog_gave_up", "gauge", "1 while the daemon has given up and waits for a human or its cooldown.", [[{}, view.gaveUp ? 1 : 0]]);
  m.family("songnodes_watchdog_human_needed", "gauge", "1 while a person is needed: damage no restart can fix; only resume acts again.", [[{}, view.gaveUp !== null && view.gaveUp.retryAt === null ? 1 : 0]]);
  m.family("songnodes_watchdog_uptime_seconds", "gauge", "Time since the daemon started.", [[{}, seconds(view.uptimeMs)]]);
  if (view.lastIteration) {
    m.family("songnodes_watchdog_iteration_seconds", "gauge", "How long the last loop iteration took (probes, decision, remedies).", [[{}, seconds(view.lastIteration.durationMs)]]);
    m.family("songnodes_watchdog_decide_seconds", "gauge", "How long the core's decision took in the last iteration.", [[{}, seconds(view.lastIteration.decideMs)]]);
    if (view.lastIteration.count !== undefined) m.family("songnodes_watchdog_iterations_total", "counter", "Loop iterations completed since the daemon started.", [[{}, view.lastIteration.count]]);
    if (view.lastIteration.rests !== undefined) m.family("songnodes_watchdog_iterations_rested_total", "counter", "Loop iterations that rested (the node plainly healthy, every ok reading standing: nothing read, nothing decided).", [[{}, view.lastIteration.rests]]);
  }
  if (view.maintenance) {
    const levels = ["ok", "warn", "crit", "unknown"] as const;
    m.family("songnodes_watchdog_maintenance_level", "gauge", "1 for each maintenance check's last result, 0 for the others (all 0 before its first run).",
      view.maintenance.flatMap((c) => levels.map((level) => [{ check: c.name, level }, c.lastRun?.level === level ? 1 : 0] as [Record<string, string>, number])));
    m.family("songnodes_watchdog_maintenance_last_run_seconds", "gauge", "When each maintenance check last ran (unix time; NaN: never).",
      view.maintenance.map((c) => [{ check: c.name }, c.lastRun ? seconds(c.lastRun.startedAt) : Number.NaN]));
    m.family("songnodes_watchdog_maintenance_next_run_seconds", "gauge", "When each maintenance check runs next (unix time).",
      view.maintenance.map((c) => [{ check: c.name }, c.nextRunAt === null ? Number.NaN : seconds(c.nextRunAt)]));
    m.family("songnodes_watchdog_maintenance_findings", "gauge", "Findings of each maintenance check's last run.",
      view.maintenance.map((c) => [{ check: c.name }, c.lastRun?.findings.length ?? 0]));
  }
  if (view.notifications) {
    const n = view.notifications;
    m.family("songnodes_watchdog_notifications_queued", "gauge", "Notification deliveries waiting in the outbox.", [[{}, n.queued]]);
    m.family("songnodes_watchdog_notifications_delivered_total", "counter", "Notification deliveries that reached their channel.", [[{}, n.delivered]]);
    m.family("songnodes_watchdog_notifications_failed_total", "counter", "Notification delivery attempts that failed (each is retried).", [[{}, n.failed]]);
    m.family("songnodes_watchdog_notifications_dropped_total", "counter", "Notification deliveries dropped undelivered (outbox full or too old).", [[{}, n.dropped]]);
  }
  return m.text();
}
