// Notifications share the journal file (their outbox is a table in it). When start-up had to keep the
// journal in memory (a read-only or full disk, an unusable file), or the outbox cannot be opened, the
// daemon runs on without notifications rather than not at all, and says so at err.
import type { Config } from "../config/schema.js";
import type { Channel } from "../notifications/channel.js";
import { startNotifications } from "../notifications/start-notifications.js";
import type { Clock, Logger } from "../ports.js";
import type { StatusSnapshot } from "../status/source.js";

/** What the daemon uses of the notifications: the loop's observer, the outbox's figures, and close. */
export interface NotificationsAtStart {
  notifications: ReturnType<typeof startNotifications>["notifications"];
  stats(): StatusSnapshot["notifications"];
  close(): Promise<void>;
}

/** Start notifications on the journal file, or none when there is no usable file. Never throws. */
export function startNotificationsOrNot(deps: { config: Config; journalPath: string | null; channels: readonly Channel[]; clock: Clock; logger: Logger }): NotificationsAtStart {
  const none: NotificationsAtStart = { notifications: null, stats: () => null, close: async () => {} };
  if (deps.journalPath === null) {
    if (deps.channels.length > 0) deps.logger.error("notifications are off for this run: the journal, which holds their outbox, is kept in memory");
    return none;
  }
  try {
    const told = startNotifications({ ...deps, journalPath: deps.journalPath });
    return { notifications: told.notifications, stats: () => told.outbox.stats(), close: () => told.close() };
  } catch (error) {
    deps.logger.error(`notifications are off for this run: their outbox in ${deps.journalPath} cannot be opened: ${(error as Error).message}`);
    return none;
  }
}
