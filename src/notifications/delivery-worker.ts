// Delivers what the outbox holds, outside the loop's iterations: a receiver that hangs costs its
// own channel a request timeout and nothing else (channels are worked in parallel, each one's rows
// in order). A failed attempt is retried with exponential back-off and jitter, or after the
// receiver's Retry-After; rows survive restarts, so a daemon started again carries on where the
// last one stopped.
import type { Clock, Logger } from "../ports.js";
import { retryDelay } from "./backoff.js";
import type { Channel } from "./channel.js";
import type { Outbox, OutboxRow } from "./outbox.js";

export interface DeliveryWorkerDeps {
  outbox: Outbox;
  channels: readonly Channel[];
  clock: Clock;
  logger: Logger;
  retry: { initialMs: number; maxMs: number };
  /** Undelivered rows older than this are dropped (and counted). */
  maxAgeMs: number;
  random?: () => number;
}

export interface DeliveryWorker {
  /** Look at the outbox now (new events were queued). */
  wake(): void;
  /** Stop: in-flight requests are aborted (their rows stay undelivered and are sent next start). */
  stop(): Promise<void>;
  /** Resolves when no pass is running (tests). */
  idle(): Promise<void>;
}

// Rows handed to the channels per pass; the next pass follows at once while rows are due.
const BATCH = 50;
// Even with nothing due, look again now and then (a clock step, a row queued by another process).
const MAX_SLEEP_MS = 60_000;

/** Start delivering; the first pass runs at once (rows left by a previous daemon). */
export function startDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { outbox, clock, logger } = deps;
  const byName = new Map(deps.channels.map((channel) => [channel.name, channel]));
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const gone = outbox.dropChannelsOtherThan([...byName.keys()]);
  if (gone > 0) logger.warn(`${gone} queued notification(s) for channels no longer configured were dropped`);

  const deliverOne = async (channel: Channel, row: OutboxRow): Promise<void> => {
    const outcome = await channel.deliver(row.event, stopping.signal);
    if (stopping.signal.aborted && !outcome.ok) return; // not an attempt: the daemon is stopping
    const now = clock.now();
    if (outcome.ok) {
      outbox.markDelivered(row.id, now);
      logger.info(`notification ${row.event.kind} delivered to ${channel.name}${row.attempts > 0 ? ` after ${row.attempts + 1} attempts` : ""}`, { channel: channel.name, eventId: row.eventId });
      return;
    }
    const attempts = row.attempts + 1;
    // Retry-After: 0 must not turn into a tight loop against the receiver.
    const floor = Math.min(deps.retry.initialMs, 1_000);
    const wait = Math.max(floor, Math.min(deps.retry.maxMs, outcome.retryAfterMs ?? retryDelay(attempts, deps.retry.initialMs, deps.retry.maxMs, deps.random)));
    outbox.markFailed(row.id, outcome.detail, now + wait);
    const log = attempts === 1 ? logger.warn : logger.debug;
    log.call(logger, `notification ${row.event.kind} to ${channel.name} failed (attempt ${attempts}): ${outcome.detail}; next attempt in ${Math.round(wait / 1000)} s`, { channel: channel.name, eventId: row.eventId });
  };

  const pass = async (): Promise<void> => {
    const expired = outbox.expire(clock.now(), deps.maxAgeMs);
    if (expired > 0) logger.warn(`${expired} notification(s) undelivered for too long were dropped`);
    for (;;) {
      const rows = outbox.due(clock.now(), BATCH);
      if (rows.length === 0 || stopping.signal.aborted) return;
      const perChannel = new Map<string, OutboxRow[]>();
      for (const row of rows) perChannel.set(row.channel, [...(perChannel.get(row.channel) ?? []), row]);
      await Promise.all([...perChannel].map(async ([name, list]) => {
        const channel = byName.get(name);
        if (channel === undefined) {
          // Rows for a channel this daemon does not have would be due forever: drop (and count) them.
          outbox.dropChannelsOtherThan([...byName.keys()]);
          return;
        }
        for (const row of list) {
          if (stopping.signal.aborted) return;
          await deliverOne(channel, row);
        }
      }));
    }
  };

  const schedule = () => {
    if (stopping.signal.aborted) return;
    const next = outbox.nextDueAt();
    const delay = next === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(0, next - clock.now()));
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(wake, delay);
  };

  function wake(): void {
    if (stopping.signal.aborted) return;
    if (running !== null) {
      again = true;
      return;
    }
    running = pass()
      .catch((error: unknown) => logger.error(`notification delivery failed: ${(error as Error)?.message ?? String(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          wake();
        } else {
          schedule();
        }
      });
  }

  wake();
  return {
    wake,
    async stop() {
      stopping.abort();
      if (timer !== null) clearTimeout(timer);
      await running;
    },
    async idle() {
      while (running !== null) await running;
    },
  };
}
