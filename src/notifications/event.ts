// What a person is told: one notification event, its kind and severity, and the id receivers
// de-duplicate on. An event is plain data (stored as JSON in the outbox), so a delivery after a
// daemon restart sends exactly the bytes the first attempt would have sent.
import { createHash } from "node:crypto";

/** Every kind of event; `test` is only sent by `songnodes-watchdog notify test`. */
export const EVENT_KINDS = ["gave-up", "human-needed", "remedy-failed", "budget-low", "maintenance-crit", "resolved", "test"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Most urgent first; routing and the channels' priorities map from these. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One notification, as every channel receives it (the generic webhook format is exactly this). */
export interface NotificationEvent {
  /** Stable across retries, restarts and channels: receivers de-duplicate on it. */
  id: string;
  kind: EventKind;
  severity: Severity;
  /** One line a phone can show. */
  title: string;
  message: string;
  /** When the daemon decided to say it (ms since the epoch). */
  at: number;
  /** The node's host name. */
  node: string;
  /** The episode this event belongs to (the core's announcement key, or the derived one). */
  episode: string;
  /** For `resolved`: the ids of the events it resolves, and when the episode began. */
  resolves?: string[];
  startedAt?: number;
  /** 1 for the first notice of an episode, 2… for its reminders. */
  notice?: number;
}

/** A readable, stable id: the kind, then a short hash of the episode and notice number. */
export function eventId(kind: EventKind, episode: string, notice = 1): string {
  const hash = createHash("sha256").update(`${kind}\n${episode}\n${notice}`).digest("hex").slice(0, 20);
  return `swd-${kind}-${hash}`;
}

/** The severity each kind is sent with (resolved and test are info). */
export const KIND_SEVERITY: Record<EventKind, Severity> = {
  "gave-up": "critical",
  "human-needed": "critical",
  "maintenance-crit": "critical",
  "remedy-failed": "warning",
  "budget-low": "warning",
  resolved: "info",
  test: "info",
};

/** The kind an id was made for (ids are `swd-<kind>-<hash>`), or null for a foreign id. */
export function kindOfId(id: string): EventKind | null {
  const match = /^swd-(.+)-[0-9a-f]{20}$/.exec(id);
  const kind = match?.[1];
  return (EVENT_KINDS as readonly string[]).includes(kind ?? "") ? (kind as EventKind) : null;
}

/** Severity rank: 0 for critical, 2 for info. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
