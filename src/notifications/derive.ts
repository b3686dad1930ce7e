// Which notifications one loop iteration gives rise to: a pure function of what the loop already
// produced (the core's announcements with their keys and levels, the remedies' outcomes, the
// budgets) and of the book of episodes told so far. The core stays untouched: it says things once
// per episode, and this follows its announcements, adding only what it does not say itself (a
// remedy that failed, a budget nearly spent, the recovery that ends an incident).
import type { BudgetUse } from "../core/budgets.js";
import type { ActionOutcome, Command, Phase } from "../core/types.js";
import { eventId, KIND_SEVERITY, type EventKind, type NotificationEvent, type Severity } from "./event.js";

/** One episode a person was told about and that has not been resolved yet. */
export interface OpenEpisode {
  key: string;
  kind: EventKind;
  severity: Severity;
  title: string;
  message: string;
  startedAt: number;
  /** The id of the first notice (what `resolved` names), and how many notices were sent. */
  firstId: string;
  notices: number;
  lastNoticeAt: number;
  /** Ended by the node's recovery (phase healthy); a maintenance finding is not. */
  endsOnRecovery: boolean;
}

/** What the derivation remembers between iterations (persisted, so a restart keeps it). */
export interface EpisodeBook {
  open: OpenEpisode[];
  /** Budgets now at or under the warning line: one notice per crossing. */
  lowBudgets: string[];
}

/** What one iteration produced, as the derivation reads it. */
export interface IterationFacts {
  now: number;
  phase: Phase;
  commands: readonly Command[];
  outcomes: readonly ActionOutcome[];
  budgets: readonly BudgetUse[];
  node: string;
}

/** The knobs: a reminder interval (null: none) and the budget warning line (remedies left). */
export interface DerivePolicy {
  reminderMs: number | null;
  budgetLowLeft: number;
}

/** An empty book: nothing told yet. */
export const EMPTY_BOOK: EpisodeBook = { open: [], lowBudgets: [] };

/** The events this iteration gives rise to, and the book after it. */
export function deriveEvents(facts: IterationFacts, book: EpisodeBook, policy: DerivePolicy): { events: NotificationEvent[]; book: EpisodeBook } {
  const { now, node } = facts;
  const open = [...book.open];
  const events: NotificationEvent[] = [];
  // `group`: an episode already open in the group (same prefix) makes this one the same episode.
  const openEpisode = (key: string, kind: EventKind, severity: Severity, title: string, message: string, endsOnRecovery: boolean, group = key) => {
    if (open.some((episode) => episode.key === key || episode.key.startsWith(group))) return;
    const id = eventId(kind, key);
    open.push({ key, kind, severity, title, message, startedAt: now, firstId: id, notices: 1, lastNoticeAt: now, endsOnRecovery });
    events.push({ id, kind, severity, title, message, at: now, node, episode: key, notice: 1 });
  };

  const reminded = new Set<string>();
  for (const command of facts.commands) {
    if (command.kind !== "announce") continue;
    const kind = announcementKind(command.key, command.level);
    if (kind === null) continue;
    // The core saying an episode again (its own reminder) is a reminder here too.
    if (open.some((episode) => episode.key === command.key)) reminded.add(command.key);
    openEpisode(command.key, kind, KIND_SEVERITY[kind], TITLES[kind], command.message, kind !== "maintenance-crit");
  }
  for (const outcome of facts.outcomes) {
    // Once per remedy kind per incident: a restart failing every tick is one message, not twenty.
    if (!outcome.ok) openEpisode(`remedy-failed:${outcome.kind}:${now}`, "remedy-failed", KIND_SEVERITY["remedy-failed"], `${outcome.kind} failed`, `${outcome.kind} failed: ${outcome.detail}`, true, `remedy-failed:${outcome.kind}:`);
  }
  const lowBudgets: string[] = [];
  for (const budget of facts.budgets) {
    const low = budget.max > 0 && budget.used > 0 && budget.left <= policy.budgetLowLeft;
    if (!low) continue;
    lowBudgets.push(budget.kind);
    if (book.lowBudgets.includes(budget.kind)) continue;
    const message = `the ${budget.kind} budget is nearly spent: ${budget.used} of ${budget.max} used in the sliding window, ${budget.left} left`;
    // Part of an incident only when it happens during one; a healthy node's clean-up ends nothing.
    openEpisode(`budget-low:${budget.kind}:${now}`, "budget-low", KIND_SEVERITY["budget-low"], `${budget.kind} budget nearly spent`, message, facts.phase !== "healthy");
  }

  const stillOpen: OpenEpisode[] = [];
  const ended = facts.phase === "healthy" ? open.filter((episode) => episode.endsOnRecovery) : [];
  if (ended.length > 0) {
    const key = `resolved:${ended.map((episode) => episode.key).join(",")}`;
    const startedAt = Math.min(...ended.map((episode) => episode.startedAt));
    const told = ended.map((episode) => episode.kind).filter((kind, i, all) => all.indexOf(kind) === i).join(", ");
    events.push({
      id: eventId("resolved", key), kind: "resolved", severity: "info", title: "node recovered", at: now, node, episode: key,
      message: `the node is healthy again after the incident that began ${new Date(startedAt).toISOString()} (${told})`,
      resolves: ended.map((episode) => episode.firstId), startedAt,
    });
  }
  for (const episode of open) {
    if (ended.includes(episode)) continue;
    // Told, but no incident (a maintenance finding, a budget spent on a healthy node): forgotten
    // on a healthy iteration, so the book does not grow with them.
    if (facts.phase === "healthy" && !episode.endsOnRecovery) continue;
    if (reminded.has(episode.key) || (policy.reminderMs !== null && now - episode.lastNoticeAt >= policy.reminderMs)) {
      const notice = episode.notices + 1;
      events.push({ id: eventId(episode.kind, episode.key, notice), kind: episode.kind, severity: episode.severity, title: `${episode.title} (reminder ${notice - 1})`, message: episode.message, at: now, node, episode: episode.key, notice, startedAt: episode.startedAt });
      stillOpen.push({ ...episode, notices: notice, lastNoticeAt: now });
    } else {
      stillOpen.push(episode);
    }
  }
  return { events, book: { open: stillOpen, lowBudgets } };
}

const TITLES: Record<EventKind, string> = {
  "gave-up": "watchdog gave up",
  "human-needed": "a person is needed",
  "remedy-failed": "a remedy failed",
  "budget-low": "a budget is nearly spent",
  "maintenance-crit": "maintenance finding: crit",
  resolved: "node recovered",
  test: "test notification",
};

/**
 * The event kind of one core announcement, or null when it is not one a person is woken for.
 * gave-up:human-needed:… is containerd corruption (no restart can fix it); gave-up:<symptom>:… is the
 * ladder or a budget spent; maintenance:… at err is a scheduled check's crit finding.
 */
export function announcementKind(key: string, level: string): EventKind | null {
  if (key.startsWith("gave-up:human-needed")) return "human-needed";
  if (key.startsWith("gave-up:")) return "gave-up";
  if (key.startsWith("maintenance:") && level === "err") return "maintenance-crit";
  return null;
}
