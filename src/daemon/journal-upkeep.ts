// The journal's upkeep while the daemon runs, every `journal.pruneEvery`: prune old rows, and look
// for damage with quick_check on a worker thread. A journal damaged while the daemon runs (random
// bytes, a bad disk block) is cured by a fresh process, whose start-up moves the file aside: the
// caller is told, and stops the daemon so that systemd restarts it.
import type { Config } from "../config/schema.js";
import { quickCheckFileOffThread } from "../journal/open-or-recover.js";
import type { Journal } from "../journal/types.js";
import type { Clock, Logger } from "../ports.js";

export interface JournalUpkeepDeps {
  journal: Journal;
  /** The file, or null for an in-memory journal (nothing to check). */
  path: string | null;
  config: Config;
  logger: Logger;
  clock: Clock;
  onCorrupt(why: string): void;
}

/** Prune now, then prune and check every `journal.pruneEvery`; returns the timer to clear at stop. */
export function startJournalUpkeep(deps: JournalUpkeepDeps): NodeJS.Timeout {
  const { journal, path, config, logger, clock } = deps;
  const prune = () => {
    try {
      const gone = journal.prune(clock.now(), { retentionMs: config.journal.retention, maxBytes: config.journal.maxBytes });
      if (gone > 0) logger.info(`journal pruned: ${gone} old rows removed`);
    } catch (error) {
      logger.warn(`journal prune failed: ${(error as Error).message}`);
    }
  };
  const check = async () => {
    if (path === null) return;
    const found = await quickCheckFileOffThread(path);
    if (found.verdict !== "corrupt") return;
    logger.error(`journal ${path} is corrupt (${found.said}): restarting the daemon, whose start-up moves it aside and starts a fresh one`);
    deps.onCorrupt("the journal is corrupt");
  };
  prune();
  return setInterval(() => {
    void check();
    prune();
  }, config.journal.pruneEvery);
}
