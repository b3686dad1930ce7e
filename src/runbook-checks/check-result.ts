import type { Journal } from "../journal/types.js";

// What a runbook check reports. The same shape as a scheduled maintenance check's result, so the
// maintenance scheduler can run these checks as they are: a level, one sentence, the command a
// person would run next, and the findings that are not ok. A check never throws.

/** ok: nothing to do; warn: look soon; crit: act now; unknown: the check could not tell. */
export type CheckLevel = "ok" | "warn" | "crit" | "unknown";

/** One thing a check found; `key` stays the same while the finding lasts, so it is said once. */
export interface Finding {
  key: string;
  level: Exclude<CheckLevel, "ok">;
  text: string;
  /** What a person runs next: "systemctl enable k3s". */
  next: string;
}

/** One run's result. */
export interface CheckResult {
  level: CheckLevel;
  reason: string;
  next: string | null;
  findings: Finding[];
}

/** A check with its I/O: looks once, never throws; `signal` aborts it at its timeout. */
export interface RunbookCheck {
  name: string;
  run(signal: AbortSignal): Promise<CheckResult>;
  /** A check with a remedy records it in the journal's actions table (the GitOps reconcile). */
  attach?(journal: RemedyJournal): void;
  /** Told when the node became healthy after a recovery. */
  afterRecovery?(): void;
}

/** The journal calls a remedy makes, as the loop's remedies make them. */
export type RemedyJournal = Pick<Journal, "planAction" | "startAction" | "finishAction" | "actionStamps">;

const RANK: Record<CheckLevel, number> = { ok: 0, unknown: 1, warn: 2, crit: 3 };

/** A result from findings: the worst level, the worst findings' texts, the worst one's command. */
export function resultOf(findings: Finding[], okReason: string): CheckResult {
  if (findings.length === 0) return { level: "ok", reason: okReason, next: null, findings };
  const sorted = [...findings].sort((a, b) => RANK[b.level] - RANK[a.level]);
  const more = sorted.length > 3 ? `; and ${sorted.length - 3} more` : "";
  const level = sorted[0]!.level;
  return { level, reason: sorted.slice(0, 3).map((f) => f.text).join("; ") + more, next: sorted[0]!.next, findings: sorted };
}

/** The result of a check that could not look at all. */
export function cannotLook(reason: string): CheckResult {
  return { level: "unknown", reason, next: null, findings: [] };
}
