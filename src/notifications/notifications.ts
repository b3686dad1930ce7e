// The daemon's notifications: each loop iteration's report goes through the pure derivation, the
// events it yields are written to the outbox (before any attempt), and the delivery worker is
// woken. This is the loop's only hook; it never awaits a receiver and never throws into the loop.
import { hostname } from "node:os";
import type { Config } from "../config/schema.js";
import { allBudgets } from "../core/budgets.js";
import type { CoreState } from "../core/types.js";
import type { IterationReport } from "../daemon/loop.js";
import type { Clock, Logger } from "../ports.js";
import type { Channel } from "./channel.js";
import { startDeliveryWorker, type DeliveryWorker } from "./delivery-worker.js";
import { deriveEvents, EMPTY_BOOK, type EpisodeBook } from "./derive.js";
import type { NotificationEvent } from "./event.js";
import type { Outbox, OutboxStats } from "./outbox.js";

export interface NotificationsDeps {
  config: Config;
  outbox: Outbox;
  channels: readonly Channel[];
  clock: Clock;
  logger: Logger;
  node?: string;
}

export interface Notifications {
  /** The loop's hook: called with each iteration's report and the core's state after it. */
  observe(report: IterationReport, state: CoreState): void;
  /** Queue an event as the derivation would (tests, and the future maintenance checks). */
  queue(event: NotificationEvent): void;
  stats(): OutboxStats;
  worker: DeliveryWorker;
  stop(): Promise<void>;
}

/** Start the worker and return the hook. */
export function createNotifications(deps: NotificationsDeps): Notifications {
  const { config, outbox, channels, logger } = deps;
  const settings = config.notifications;
  const node = deps.node ?? hostname();
  let book: EpisodeBook = outbox.loadBook() ?? EMPTY_BOOK;
  let saved = JSON.stringify(book);
  const worker = startDeliveryWorker({
    outbox, channels, clock: deps.clock, logger,
    retry: { initialMs: settings.retry.initial, maxMs: settings.retry.max }, maxAgeMs: settings.outbox.maxAge,
  });

  const queue = (event: NotificationEvent): void => {
    const targets = channels.filter((channel) => channel.accepts(event)).map((channel) => channel.name);
    const { added, dropped } = outbox.enqueue(event, targets, settings.outbox.maxEvents);
    if (added > 0) logger.info(`notifying ${targets.join(", ")}: ${event.title}`, { eventId: event.id, kind: event.kind });
    if (dropped > 0) logger.warn(`the notification outbox is full (${settings.outbox.maxEvents}): ${dropped} older delivery(ies) dropped`);
  };

  return {
    observe(report, state) {
      try {
        const budgets = allBudgets(config, state.actions, report.now);
        const facts = { now: report.now, phase: report.phase, commands: report.commands, outcomes: report.outcomes, budgets, node };
        const derived = deriveEvents(facts, book, { reminderMs: settings.reminder, budgetLowLeft: settings.budgetLowLeft });
        for (const event of derived.events) queue(event);
        book = derived.book;
        const text = JSON.stringify(book);
        if (text !== saved) {
          outbox.saveBook(book);
          saved = text;
        }
        if (derived.events.length > 0) worker.wake();
      } catch (error) {
        logger.error(`notifications: ${(error as Error).message}`);
      }
    },
    queue(event) {
      queue(event);
      worker.wake();
    },
    stats: () => outbox.stats(),
    worker,
    stop: () => worker.stop(),
  };
}
