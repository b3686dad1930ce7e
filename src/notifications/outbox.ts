// The durable outbox in the SQLite journal: one row per (event, channel), written before any
// delivery attempt and marked delivered after a 2xx or an exit 0, so an event survives a daemon
// killed mid-delivery, a restart and a reboot. (event id, channel) is unique: the same event
// derived twice is queued once. Counters for /metrics live beside it, as does the book of episodes.
import type Database from "better-sqlite3";
import type { EpisodeBook } from "./derive.js";
import type { NotificationEvent } from "./event.js";

/** One undelivered delivery. */
export interface OutboxRow {
  id: number;
  eventId: string;
  channel: string;
  event: NotificationEvent;
  attempts: number;
  createdAt: number;
}

/** What /metrics and the status show about the outbox. */
export interface OutboxStats {
  /** Deliveries waiting (undelivered rows). */
  queued: number;
  /** Totals since the journal was created. */
  delivered: number;
  failed: number;
  dropped: number;
}

type Counter = "delivered" | "failed" | "dropped";

/** Queries on the outbox tables of an open journal database. */
export function createOutbox(db: Database.Database) {
  const insert = db.prepare(`INSERT OR IGNORE INTO notification_outbox (event_id, channel, kind, severity, event, created_at, next_attempt_at)
    VALUES (@eventId, @channel, @kind, @severity, @event, @at, @at)`);
  const due = db.prepare(`SELECT id, event_id, channel, event, attempts, created_at FROM notification_outbox
    WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`);
  const nextDue = db.prepare("SELECT MIN(next_attempt_at) FROM notification_outbox WHERE delivered_at IS NULL").pluck();
  const delivered = db.prepare("UPDATE notification_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND delivered_at IS NULL");
  const failed = db.prepare("UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL");
  const queued = db.prepare("SELECT count(*) FROM notification_outbox WHERE delivered_at IS NULL").pluck();
  const bump = db.prepare("INSERT INTO notification_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value");
  const counter = db.prepare("SELECT value FROM notification_counters WHERE name = ?").pluck();
  // Over the cap, non-critical deliveries go first, oldest first; critical ones only when nothing else is left.
  const overCap = db.prepare(`DELETE FROM notification_outbox WHERE id IN (
    SELECT id FROM notification_outbox WHERE delivered_at IS NULL
    ORDER BY (severity = 'critical'), created_at, id LIMIT ?)`);
  const expired = db.prepare("DELETE FROM notification_outbox WHERE delivered_at IS NULL AND created_at < ?");
  const oldDelivered = db.prepare("DELETE FROM notification_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?");
  const unknownChannel = db.prepare("DELETE FROM notification_outbox WHERE delivered_at IS NULL AND channel = ?");
  const channelsQueued = db.prepare("SELECT DISTINCT channel FROM notification_outbox WHERE delivered_at IS NULL").pluck();
  const loadBook = db.prepare("SELECT book FROM notification_episodes WHERE id = 1").pluck();
  const saveBook = db.prepare("INSERT INTO notification_episodes (id, book) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET book = excluded.book");

  const count = (name: Counter, by: number) => {
    if (by > 0) bump.run(name, by);
  };
  const enqueue = db.transaction((event: NotificationEvent, channels: readonly string[], maxQueued: number) => {
    let added = 0;
    for (const channel of channels) {
      added += insert.run({ eventId: event.id, channel, kind: event.kind, severity: event.severity, event: JSON.stringify(event), at: event.at }).changes;
    }
    const excess = (queued.get() as number) - maxQueued;
    const dropped = excess > 0 ? overCap.run(excess).changes : 0;
    count("dropped", dropped);
    return { added, dropped };
  });

  return {
    /** Queue `event` for each channel (once per channel, ever); then keep the queue under `maxQueued`. */
    enqueue(event: NotificationEvent, channels: readonly string[], maxQueued: number): { added: number; dropped: number } {
      return enqueue(event, channels, maxQueued);
    },
    /** Deliveries whose time has come, the longest waiting first. */
    due(now: number, limit: number): OutboxRow[] {
      return (due.all(now, limit) as Array<{ id: number; event_id: string; channel: string; event: string; attempts: number; created_at: number }>).map((row) => ({
        id: row.id, eventId: row.event_id, channel: row.channel, event: JSON.parse(row.event) as NotificationEvent, attempts: row.attempts, createdAt: row.created_at,
      }));
    },
    /** When the next undelivered row is due; null when none waits. */
    nextDueAt(): number | null {
      return (nextDue.get() as number | null) ?? null;
    },
    markDelivered(id: number, at: number): void {
      if (delivered.run(at, id).changes > 0) count("delivered", 1);
    },
    markFailed(id: number, detail: string, nextAttemptAt: number): void {
      if (failed.run(detail, nextAttemptAt, id).changes > 0) count("failed", 1);
    },
    /** Drop undelivered rows older than `maxAgeMs` (counted) and delivered ones past it (not counted). */
    expire(now: number, maxAgeMs: number): number {
      const gone = expired.run(now - maxAgeMs).changes;
      count("dropped", gone);
      oldDelivered.run(now - maxAgeMs);
      return gone;
    },
    /** Drop the deliveries of channels no longer configured (counted); returns how many. */
    dropChannelsOtherThan(names: readonly string[]): number {
      let gone = 0;
      for (const channel of channelsQueued.all() as string[]) if (!names.includes(channel)) gone += unknownChannel.run(channel).changes;
      count("dropped", gone);
      return gone;
    },
    stats(): OutboxStats {
      const read = (name: Counter) => (counter.get(name) as number | undefined) ?? 0;
      return { queued: queued.get() as number, delivered: read("delivered"), failed: read("failed"), dropped: read("dropped") };
    },
    loadBook(): EpisodeBook | null {
      const text = loadBook.get() as string | undefined;
      if (text === undefined) return null;
      try {
        const book = JSON.parse(text) as EpisodeBook;
        return Array.isArray(book.open) && Array.isArray(book.lowBudgets) ? book : null;
      } catch {
        return null;
      }
    },
    saveBook(book: EpisodeBook): void {
      saveBook.run(JSON.stringify(book));
    },
  };
}

/** The outbox's queries. */
export type Outbox = ReturnType<typeof createOutbox>;
