// What the SQLite journal hands out: the status socket, the CLI and the daemon's start-up read these.
// Times are milliseconds since the epoch, as everywhere in the daemon.
import type { RemedyKind } from "../core/types.js";

/** Which table a history line came from. */
export type HistoryKind = "boot" | "phase" | "observation" | "action" | "pause" | "note";

/** One line of the merged history (newest first); `summary` is what a person reads. */
export interface HistoryEntry {
  id: number;
  at: number;
  kind: HistoryKind;
  summary: string;
  detail: Record<string, unknown>;
}

/** Narrows `history()`: at most `limit` lines, none before `since`, only one `kind`. */
export interface HistoryFilter {
  limit?: number;
  since?: number;
  kind?: HistoryKind;
}

/** One machine boot as the daemon saw it; timeToHealthyMs is the boot's time to recovery. */
export interface BootRecord {
  bootId: string;
  firstSeenAt: number;
  healthyAt: number | null;
  timeToHealthyMs: number | null;
}

/** Where an action got to; "interrupted" means the daemon died before it finished. */
export type ActionOutcomeKind = "planned" | "started" | "succeeded" | "failed" | "interrupted" | "dry-run";

/** One remedy, planned before it runs and finished after, so a crash leaves an honest row. */
export interface ActionRecord {
  id: number;
  kind: RemedyKind;
  why: string;
  plannedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  outcome: ActionOutcomeKind;
  detail: string;
  touched: string[];
  bootId: string;
  dryRun: boolean;
}

/** An operator's pause (from the control socket or the CLI). */
export interface PauseRecord {
  until: number;
  reason: string;
  at: number;
  by: string;
}
