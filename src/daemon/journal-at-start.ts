// The journal as start-up opens it: recovered from whatever state it is in (a corrupt file moved
// aside, an unusable disk replaced by memory), the trouble said at err in the log and the journal,
// and the budgets held back when the journal has forgotten the remedies of the last window.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { openJournalOrRecover } from "../journal/open-or-recover.js";
import type { Journal } from "../journal/types.js";
import type { Clock, Logger } from "../ports.js";
import { holdBudgetsIfForgotten, type BudgetHold } from "./budget-hold.js";

/** The journal file's name in the state directory. */
export const JOURNAL_FILE = "journal.sqlite";

/** What start-up got: the journal the loop uses (budgets held if need be) and the raw one to close. */
export interface StartJournal {
  /** Give this one to the loop: its action stamps include a hold. */
  journal: Journal;
  /** The file's path, or null when this run keeps its journal in memory. */
  path: string | null;
  hold: BudgetHold | null;
}

/** Open, recover, warn and hold; throws only JournalVersionError (a journal from a newer release). */
export function openJournalAtStart(stateDir: string, config: Config, clock: Clock, uptimeMs: number | null, logger: Logger): StartJournal {
  const path = join(stateDir, JOURNAL_FILE);
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (error) {
    // A read-only or full disk: openJournalOrRecover falls back to memory and says so.
    logger.warn(`cannot create the state directory ${stateDir}: ${(error as Error).message}`);
  }
  const opened = openJournalOrRecover(path, clock);
  const now = clock.now();
  if (opened.trouble !== null) {
    logger.error(`journal: ${opened.trouble}`);
    opened.journal.recordNote("err", `journal-trouble:${now}`, `journal: ${opened.trouble}`, now);
  }
  const held = holdBudgetsIfForgotten(opened.journal, config, { fresh: opened.fresh, lost: opened.trouble }, now, uptimeMs, logger);
  return { journal: held.journal, path: opened.inMemory ? null : path, hold: held.hold };
}
