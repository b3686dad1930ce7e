// What a maintenance check reports: a level, the sentence that explains it, and what a person would
// run next. A check never throws: a failure to look is `unknown` with the reason, like a probe.

/** ok: nothing to do; warn: look soon; crit: act now; unknown: the check could not tell. */
export type MaintenanceLevel = "ok" | "warn" | "crit" | "unknown";

/** How often a check runs by default; each cadence has its own schedule in the config. */
export type Cadence = "daily" | "weekly" | "monthly" | "hourly" | "data";

/** One thing a check found; `key` stays the same while the finding does, so it is said once. */
export interface Finding {
  key: string;
  level: Exclude<MaintenanceLevel, "ok">;
  text: string;
  /** The command a person would run next ("kubectl -n songnodes get jobs"). */
  next: string;
}

/** One run's result. `reason` is one readable sentence; `findings` lists what is not ok. */
export interface CheckResult {
  level: MaintenanceLevel;
  reason: string;
  next: string | null;
  findings: Finding[];
}

/** A check the scheduler can run: its name, its cadence and its I/O-and-interpret step. */
export interface MaintenanceCheck {
  name: string;
  cadence: Cadence;
  /** Looks once; never throws; `signal` aborts it when its timeout runs out. */
  run(signal: AbortSignal): Promise<CheckResult>;
  /** How long it may take when its own command's timeout is longer than the check timeout: the runner
   * allows the larger of the two, so a long dump check is not cut off at the check timeout. */
  timeoutMs?: number;
  /** Never started while the node is not healthy: a due run waits until it is (the data count). */
  whenHealthy?: boolean;
  /** Besides its schedule, why it should run now (after a boot, after a rollout), or null; never throws. */
  trigger?(context: { lastRunAt: number | null; signal: AbortSignal }): Promise<string | null>;
}

const RANK: Record<MaintenanceLevel, number> = { ok: 0, unknown: 1, warn: 2, crit: 3 };

/** The worst of `levels` (crit > warn > unknown > ok); ok when empty. */
export function worst(levels: readonly MaintenanceLevel[]): MaintenanceLevel {
  return levels.reduce<MaintenanceLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), "ok");
}

/** Build a result from findings: the worst level, the first findings' texts, the worst one's command. */
export function fromFindings(findings: Finding[], okReason: string, okNext: string | null = null): CheckResult {
  if (findings.length === 0) return { level: "ok", reason: okReason, next: okNext, findings };
  const sorted = [...findings].sort((a, b) => RANK[b.level] - RANK[a.level]);
  const named = sorted.slice(0, 3).map((f) => f.text).join("; ");
  const more = sorted.length > 3 ? `; and ${sorted.length - 3} more` : "";
  return { level: worst(sorted.map((f) => f.level)), reason: named + more, next: sorted[0]!.next, findings: sorted };
}

/** Whether a result is one of a check that could not look (unknown with no findings): it says nothing about what was found before. */
export function couldNotLook(result: { level: MaintenanceLevel; findings: readonly Finding[] }): boolean {
  return result.level === "unknown" && result.findings.length === 0;
}

/** Time a check needs beyond its own command's timeout: listing Jobs before, reading the answer after. */
export const COMMAND_MARGIN_MS = 30_000;

/** A result for a check that could not look at all. */
export function cannotLook(reason: string, next: string | null = null): CheckResult {
  return { level: "unknown", reason, next, findings: [] };
}
