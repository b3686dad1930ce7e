// What the SQLite journal hands out: the status socket, the CLI and the daemon's start-up read these.
// Times are milliseconds since the epoch, as everywhere in the daemon.
import type { ActionStamp, Health, Phase, ProbeName, RemedyKind } from "../core/types.js";
import type { MaintenanceStore } from "./maintenance.js";

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

/** Narrows `history()`: at most `limit` lines, none before `since` nor after `until`, only one `kind`. */
export interface HistoryFilter {
  limit?: number;
  since?: number;
  /** Inclusive: the sockets read long histories a page at a time, each page ending where the last did. */
  until?: number;
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

/** How many actions of one kind ended with one outcome. */
export interface ActionCount {
  kind: RemedyKind;
  outcome: ActionOutcomeKind;
  count: number;
}

/** An operator's pause (from the control socket or the CLI). */
export interface PauseRecord {
  until: number;
  reason: string;
  at: number;
  by: string;
}

/** The core's memory as stored: `state` is checked by the core when it is restored (src/core/memory.ts). */
export interface CoreMemoryRecord {
  bootId: string;
  /** Core time minus CLOCK_MONOTONIC for the daemon that saved it (ms). */
  anchor: number;
  /** Wall time of the save. */
  savedAt: number;
  state: unknown;
}

/** A budget stamp as stored: wall time, and CLOCK_MONOTONIC within its boot when known. */
export interface StoredStamp {
  kind: RemedyKind;
  at: number;
  bootId: string;
  monoAt: number | null;
}

/** How loudly a note was said; err is what `journalctl -p err` shows. */
export type NoteLevel = "info" | "warning" | "err";

/** From the config's `journal` section: keep rows this long, and the file under this size. */
export interface PruneLimits {
  retentionMs: number;
  maxBytes: number;
}

/**
 * The journal port: the loop, the status socket and the CLI use this; src/journal/open.ts is the
 * SQLite implementation. Every call is synchronous and every write is one transaction.
 */
export interface Journal {
  /** Idempotent; the boot recorded last is the one new actions belong to. */
  recordBoot(bootId: string, at: number): boolean;
  /** The first time only: the boot's time to recovery. */
  markBootHealthy(bootId: string, at: number): boolean;
  recordPhase(from: Phase | null, to: Phase, at: number, why: string): void;
  /** Writes only when the probe's status or reason changed; returns whether it wrote. */
  recordObservation(probe: ProbeName, status: Health, reason: string, at: number): boolean;
  /** Written before the remedy runs; returns the action's id. */
  planAction(kind: RemedyKind, why: string, at: number, dryRun: boolean): number;
  /** `monoAt`: CLOCK_MONOTONIC at the start, so the budget stamp is right across wall-clock steps. */
  startAction(id: number, at: number, monoAt?: number | null): void;
  finishAction(id: number, at: number, ok: boolean, detail: string, touched: readonly string[]): void;
  /** At start-up: actions a dead daemon left planned or started become interrupted; returns how many. */
  markInterrupted(at: number): number;
  /** What the sliding-window budgets count: started, finished, interrupted-while-running and dry-run actions. */
  actionStamps(since: number): ActionStamp[];
  /** The same rows with their boot and monotonic stamp: every row of `bootId`, and the others from `since` (wall) on. */
  storedStamps(since: number, bootId: string): StoredStamp[];
  saveCoreMemory(record: CoreMemoryRecord): void;
  loadCoreMemory(): { record: CoreMemoryRecord | null; problem: string | null };
  recordPause(until: number, reason: string, at: number, by: string): void;
  endPause(at: number, how: string): boolean;
  currentPause(now: number): PauseRecord | null;
  recordNote(level: NoteLevel, key: string, message: string, at: number): void;
  /** Newest first, merged across tables. */
  history(filter?: HistoryFilter): HistoryEntry[];
  boots(limit: number): BootRecord[];
  lastAction(): ActionRecord | null;
  /** Actions by kind and outcome, for /metrics. */
  actionCounts(): ActionCount[];
  /** Returns how many rows went. */
  prune(now: number, limits: PruneLimits): number;
  /** The scheduled checks' tables (src/journal/maintenance.ts); absent in hand-written fakes. */
  maintenance?: MaintenanceStore;
  /** Checkpoints the WAL into the main file and closes; safe to call twice. */
  close(): void;
}
