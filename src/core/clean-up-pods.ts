// Stage 7 of a step: pod clean-up. One batch of deletions a step, never in the same step as a
// ladder remedy, never while paused or waiting for a human, and within its own budget.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import { budgetUse } from "./budgets.js";
import { deletedKey, forcedKey, type Announcement, type PodTriage } from "./pod-triage.js";
import type { ActionStamp, RemedyCommand } from "./types.js";

export interface CleanUp {
  remedy: RemedyCommand | null;
  actions: ActionStamp[];
  /** The pod clocks, with the deletion asked now remembered (so it is not asked again at once). */
  firstSeen: Record<string, number>;
  announcements: Announcement[];
  notes: string[];
}

/** Turn triage's proposed deletions into at most one delete-pods command. */
export function cleanUpPods(
  policy: Config,
  view: { triage: PodTriage; actions: ActionStamp[]; heldBack: string | null; ladderActed: boolean },
  now: number,
): CleanUp {
  const { triage } = view;
  const out: CleanUp = { remedy: null, actions: view.actions, firstSeen: triage.firstSeen, announcements: [], notes: [] };
  if (triage.deletions.length === 0) return out;
  const names = triage.deletions.map((d) => d.name).join(", ");
  const budget = budgetUse(policy, view.actions, "delete-pods", now);
  if (view.heldBack !== null) out.notes.push(`would delete ${names}, but ${view.heldBack.startsWith("the daemon is paused") ? "paused" : view.heldBack}`);
  else if (view.ladderActed) out.notes.push(`pod clean-up (${names}) waits for the next step`);
  else if (budget.left === 0) {
    out.announcements.push({ level: "warning", key: "pod-budget", message: `the pod clean-up budget is spent (${budget.used} of ${budget.max} in ${formatDuration(budget.windowMs)}): not deleting ${names}` });
  } else {
    const why = triage.deletions.map((d) => `${d.name}: ${d.why}`).join("; ");
    out.remedy = { kind: "delete-pods", pods: triage.deletions, why };
    out.actions = [...view.actions, { kind: "delete-pods", at: now }];
    out.firstSeen = { ...triage.firstSeen };
    for (const deletion of triage.deletions) {
      out.firstSeen[deletedKey(deletion.uid)] = now;
      if (deletion.force) out.firstSeen[forcedKey(deletion.uid)] = now;
    }
  }
  return out;
}
