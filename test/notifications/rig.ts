// A journal on disk with its outbox and a delivery worker, for the notification tests.
import Database from "better-sqlite3";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJournal } from "../../src/journal/index.js";
import type { Channel } from "../../src/notifications/channel.js";
import { startDeliveryWorker, type DeliveryWorker } from "../../src/notifications/delivery-worker.js";
import { eventId, KIND_SEVERITY, type EventKind, type NotificationEvent } from "../../src/notifications/event.js";
import { createOutbox, type Outbox } from "../../src/notifications/outbox.js";
import type { Logger } from "../../src/ports.js";

/** A logger that keeps every line, so tests can look for what must never be logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/**
 * A fresh directory with a daemon config: a 1 s tick, the `extra` sections, and one webhook channel
 * "hook" to `url` for `events`, retried from 100 ms up to `retryMax`.
 */
export function webhookDaemonConfig(prefix: string, options: { url: string; events: EventKind[]; retryMax: string; extra: string[] }): { root: string; config: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const config = join(root, "config.yaml");
  writeFileSync(config, [
    "timing:\n  tick: 1s",
    ...options.extra,
    `notifications:\n  retry: { initial: 100ms, max: ${options.retryMax} }\n  channels:\n    - { type: webhook, name: hook, url: "${options.url}/hook", events: [${options.events.join(", ")}] }`,
  ].join("\n") + "\n");
  return { root, config };
}

/** An event of `kind`, unique per `episode`. */
export function anEvent(kind: EventKind, episode: string, at = Date.now()): NotificationEvent {
  return { id: eventId(kind, episode), kind, severity: KIND_SEVERITY[kind], title: `${kind} title`, message: `${kind} message`, at, node: "songnodes", episode };
}

export interface Rig {
  path: string;
  outbox: Outbox;
  db: Database.Database;
  logger: ReturnType<typeof recordingLogger>;
  worker: DeliveryWorker | null;
  start(channels: Channel[], retry?: { initialMs: number; maxMs: number }): DeliveryWorker;
  /** Row fields the worker writes. */
  row(eventId: string, channel: string): { attempts: number; last_error: string | null; delivered_at: number | null; next_attempt_at: number } | undefined;
  close(): Promise<void>;
}

/** A fresh journal file (migrated), the outbox on a second connection, as the daemon has it. */
export function createRig(): Rig {
  const path = join(mkdtempSync(join(tmpdir(), "swd-notify-")), "journal.sqlite");
  openJournal(path).close();
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  const outbox = createOutbox(db);
  const logger = recordingLogger();
  const rig: Rig = {
    path, outbox, db, logger, worker: null,
    start(channels, retry = { initialMs: 100, maxMs: 2_000 }) {
      rig.worker = startDeliveryWorker({ outbox, channels, clock: { now: () => Date.now() }, logger, retry, maxAgeMs: 86_400_000, random: () => 1 });
      return rig.worker;
    },
    row: (id, channel) => db.prepare("SELECT attempts, last_error, delivered_at, next_attempt_at FROM notification_outbox WHERE event_id = ? AND channel = ?").get(id, channel) as ReturnType<Rig["row"]>,
    async close() {
      await rig.worker?.stop();
      db.close();
    },
  };
  return rig;
}
