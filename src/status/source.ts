// What the status and control sockets need from the daemon. The daemon implements StatusSource; the
// server only reads the in-memory snapshot and bounded journal queries, so a slow or hostile client
// can never hold up the loop, and the socket answers even while a remedy is in flight.
import type { Health, Phase, ProbeName, RemedyKind, Symptom } from "../core/types.js";
import type { NodeVerdict } from "../core/verdict.js";
import type {
  ActionCount,
  ActionOutcomeKind,
  BootRecord,
  HistoryEntry,
  HistoryFilter,
  PauseRecord,
} from "../journal/types.js";
import type { MaintenanceRun } from "../journal/maintenance.js";
import type { CheckStatus } from "../maintenance/runner.js";
import type { UsageTrend } from "../maintenance/checks/usage-trends.js";

export type { ActionCount, ActionOutcomeKind, BootRecord, HistoryEntry, HistoryFilter, PauseRecord };

/** One probe's last observation: status, the sentence that explains it, and since when it holds. */
export interface ProbeStatus {
  status: Health;
  reason: string;
  since: number;
  /** For the watched lists (pods, nodes): when the API last confirmed the cached copy. */
  heardAt?: number;
}

/** A sliding-window budget (docs/design.md §4): `used` remedies of `kind` within the last `windowMs`. */
export interface BudgetStatus {
  kind: RemedyKind;
  used: number;
  max: number;
  windowMs: number;
  left: number;
}

/** Where the ladder is: the symptom it climbs for, the rung taken, its remedy, the verification window. */
export interface LadderStatus {
  symptom: Symptom;
  rung: number;
  remedy: RemedyKind | null;
  verifyUntil: number;
}

/** What the daemon is doing right now; every time is ms since the epoch. */
export interface StatusSnapshot {
  phase: Phase;
  phaseSince: number;
  /** The node's overall verdict and its cause (src/core/verdict.ts): the same words `check` prints. */
  verdict?: NodeVerdict;
  /** The kernel's boot id (/proc/sys/kernel/random/boot_id). */
  bootId: string;
  bootStartedAt: number;
  /** This boot's time to healthy; null while it has not been healthy yet (the server adds elapsed). */
  timeToHealthyMs: number | null;
  probes: Record<ProbeName, ProbeStatus>;
  ladder: LadderStatus | null;
  budgets: BudgetStatus[];
  pause: { until: number; reason: string; by: string; at: number } | null;
  dryRun: boolean;
  gaveUp: { why: string; at: number; retryAt: number | null } | null;
  lastAction: { kind: RemedyKind; outcome: ActionOutcomeKind; detail: string; at: number } | null;
  version: string;
  /** When this daemon process started (uptime is measured from here). */
  startedAt: number;
  actionCounts: ActionCount[];
  /**
   * The last completed iteration: when, how long in all, how long the core's decision took, how many
   * iterations since the daemon started, and how many probes it read (the rest let their reading stand).
   */
  /** `rested`: the last iteration rested (read nothing, asked the core nothing), and its timings are
   * those of the last iteration that looked; `rests`: iterations rested since the start. */
  lastIteration?: { at: number; durationMs: number; decideMs: number; count?: number; probesRead?: number; rested?: boolean; rests?: number } | null;
  /** The scheduled maintenance checks; absent when maintenance is off. */
  maintenance?: MaintenanceCheckStatus[];
  /** The notification outbox: deliveries waiting, and totals delivered, failed and dropped. */
  notifications?: { queued: number; delivered: number; failed: number; dropped: number } | null;
  /** Iterations failing in a row (a full disk, a broken journal); null while the loop works. */
  trouble?: DaemonTrouble | null;
}

/** Why the daemon is not doing its job right now; /healthz answers 503 with it. */
export interface DaemonTrouble {
  since: number;
  failures: number;
  lastError: string;
  /** False when a restart of the daemon would not help (a full or read-only disk). */
  restartHelps: boolean;
}

/** One maintenance check: its last result, last run and next run (src/maintenance/runner.ts). */
export type MaintenanceCheckStatus = CheckStatus;

/** The daemon as the sockets see it. Control calls are recorded in the journal with their reason. */
export interface StatusSource {
  snapshot(now: number): StatusSnapshot;
  /** Newest first; the server never asks for more than 1000 lines. */
  history(filter: HistoryFilter): HistoryEntry[];
  boots(limit: number): BootRecord[];
  /**
   * Pause remedies for `durationMs` from the moment it is recorded (`at`), so `until - at` is exactly
   * what was asked however long the request took to arrive (persisted, so it survives a daemon
   * restart; expires by itself). When the journal cannot take the write the pause still holds in
   * memory, and `warning` says so.
   */
  pause(durationMs: number, reason: string, by: string): PauseRecord & { warning?: string };
  resume(reason: string, by: string): void;
  /** Wake the loop to evaluate at once; `reason` and `by` go to the journal. */
  checkNow(reason: string, by: string): void;
  /** Run one maintenance check now; null when there is no such check or it is running already. */
  runMaintenance?(name: string, by: string): Promise<MaintenanceRun | null>;
  /** The monthly usage trends from the hourly samples (`report --month`). */
  usageReport?(now: number): { trends: UsageTrend[]; top: number; samples: number };
  /** Record a disaster-recovery drill. */
  recordDrill?(note: string, by: string): { at: number; note: string; by: string };
}
