// The daemon's side of notifications, started in two steps: the channels before anything else
// (a secret that cannot be read is a config error, exit 78, before the daemon touches the node),
// then, once the journal exists, the outbox on its own connection to the same SQLite file and
// the delivery worker.
import Database from "better-sqlite3";
import type { Config } from "../config/schema.js";
import type { Clock, Logger } from "../ports.js";
import { buildChannels } from "./build-channels.js";
import type { Channel } from "./channel.js";
import { createNotifications, type Notifications } from "./notifications.js";
import { createOutbox, type Outbox } from "./outbox.js";

/** The channels of `config`; throws SecretError when a secret cannot be read. */
export function prepareChannels(config: Config, env: NodeJS.ProcessEnv): Channel[] {
  return buildChannels(config.notifications.channels, env);
}

/** The running notifications: the loop's hook, the stats for /metrics, and a stop. */
export interface RunningNotifications {
  notifications: Notifications | null;
  outbox: Outbox;
  close(): Promise<void>;
}

/**
 * Open the outbox in the (already migrated) journal at `journalPath` and start delivering. With no
 * channel configured nothing is derived or sent; the outbox is still opened for its counters.
 */
export function startNotifications(deps: { config: Config; journalPath: string; channels: readonly Channel[]; clock: Clock; logger: Logger }): RunningNotifications {
  const db = new Database(deps.journalPath);
  // The loop's connection may hold the write lock for a moment: wait rather than fail.
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  const outbox = createOutbox(db);
  const notifications = deps.channels.length === 0 ? null : createNotifications({ config: deps.config, outbox, channels: deps.channels, clock: deps.clock, logger: deps.logger });
  if (notifications !== null) deps.logger.info(`notifications go to ${deps.channels.map((c) => `${c.name} (${c.type})`).join(", ")}`);
  return {
    notifications,
    outbox,
    async close() {
      await notifications?.stop();
      db.close();
    },
  };
}
