// The budgets are counted from the journal. A journal that is missing, empty, replaced after
// corruption or kept in memory has forgotten the remedies of the last window, so a fresh daemon would
// believe every budget untouched and could restart k3s within seconds of a restart it no longer
// remembers. When that can matter (the system has been up longer than the longest window, or the
// file was lost), the disruptive budgets are counted as spent for one full window from now, said
// once in the journal (which keeps the hold across daemon restarts) and in the log.
import type { Config } from "../config/schema.js";
import type { ActionStamp, RemedyKind } from "../core/types.js";
import type { Journal } from "../journal/types.js";
import type { Logger } from "../ports.js";
import { formatDuration } from "../config/duration.js";

// The remedies that disturb the node; pod clean-up is not held back.
const DISRUPTIVE: readonly [RemedyKind, keyof Config["budgets"]][] = [
  ["restart-k3s", "restartK3s"],
  ["killall-k3s", "killallK3s"],
  ["restart-registry", "restartRegistry"],
];
const NOTE_KEY = "budgets-held:";

/** From when the budgets are held, and why. */
export interface BudgetHold {
  from: number;
  until: number;
}

/** What start-up knows about the journal it opened. */
export interface JournalStart {
  /** No boot was recorded in it yet. */
  fresh: boolean;
  /** The file was corrupt, unusable or missing its history for a known reason. */
  lost: string | null;
}

/**
 * Decide the hold at start-up, record a new one in the journal, and return the journal as the loop
 * must see it (its budgets spent until the hold ends). Logs at warning; the caller logs `lost` at err.
 */
export function holdBudgetsIfForgotten(journal: Journal, config: Config, start: JournalStart, now: number, uptimeMs: number | null, logger: Logger): { journal: Journal; hold: BudgetHold | null } {
  const longest = Math.max(...Object.values(config.budgets).map((budget) => budget.window));
  let hold = earlierHold(journal, now, longest);
  const forgotten = hold === null && start.fresh && (start.lost !== null || uptimeMs === null || uptimeMs > longest);
  if (forgotten && !config.journal.holdBudgetsWhenForgotten) {
    logger.warn(`the journal has no record of the last ${formatDuration(longest)}; budgets are not held (journal.holdBudgetsWhenForgotten: false)`);
    return { journal, hold: null };
  }
  if (forgotten) {
    hold = { from: now, until: now + longest };
    const why = start.lost ?? `the journal is new (no boot recorded) while the system has been up ${uptimeMs === null ? "for an unknown time" : formatDuration(uptimeMs)}, longer than the longest budget window (${formatDuration(longest)})`;
    const message = `${why}: the remedies of the last ${formatDuration(longest)} are forgotten, so k3s restarts, killalls and registry restarts are counted as spent until ${new Date(hold.until).toISOString()}; pod clean-up goes on`;
    journal.recordNote("warning", `${NOTE_KEY}${now}`, message, now);
    logger.warn(message);
  } else if (hold !== null) {
    logger.warn(`budgets held since ${new Date(hold.from).toISOString()} (the journal had forgotten its remedies) until ${new Date(hold.until).toISOString()}`);
  }
  if (hold === null) return { journal, hold: null };
  const presumed: ActionStamp[] = DISRUPTIVE.flatMap(([kind, key]) => Array.from({ length: config.budgets[key].max }, () => ({ kind, at: hold.from })));
  return {
    hold,
    journal: {
      ...journal,
      actionStamps(since) {
        const stamps = [...presumed.filter((stamp) => stamp.at >= since), ...journal.actionStamps(since)];
        return stamps.sort((a, b) => a.at - b.at);
      },
      // The loop reads its budget stamps here at start-up; the presumed ones carry wall time only.
      storedStamps(since, bootId) {
        const stamps = [...presumed.filter((stamp) => stamp.at >= since).map((stamp) => ({ ...stamp, bootId: "presumed", monoAt: null })), ...journal.storedStamps(since, bootId)];
        return stamps.sort((a, b) => a.at - b.at);
      },
    },
  };
}

/** A hold recorded by an earlier daemon that is still running. */
function earlierHold(journal: Journal, now: number, longest: number): BudgetHold | null {
  const notes = journal.history({ kind: "note", since: now - longest, limit: 1000 });
  for (const note of notes) {
    const key = String(note.detail.key ?? "");
    if (!key.startsWith(NOTE_KEY)) continue;
    const from = Number(key.slice(NOTE_KEY.length));
    if (Number.isFinite(from) && from + longest > now) return { from, until: from + longest };
  }
  return null;
}
