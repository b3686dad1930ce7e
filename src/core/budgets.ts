// Sliding-window budgets over the remedies taken. The stamps come from the SQLite journal, so a
// budget spent before a daemon restart or a reboot stays spent.
import type { Config } from "../config/schema.js";
import type { ActionStamp, RemedyKind } from "./types.js";

export interface BudgetUse {
  kind: RemedyKind;
  used: number;
  max: number;
  windowMs: number;
  left: number;
  /** When the oldest counted action leaves the window (null when none is counted). */
  nextFreeAt: number | null;
}

const BUDGET_KEY: Record<RemedyKind, keyof Config["budgets"]> = {
  "restart-k3s": "restartK3s",
  "killall-k3s": "killallK3s",
  "restart-registry": "restartRegistry",
  "delete-pods": "deletePods",
};

/** How much of `kind`'s budget the actions within its window have used at `now`. */
export function budgetUse(policy: Config, actions: readonly ActionStamp[], kind: RemedyKind, now: number): BudgetUse {
  const { max, window } = policy.budgets[BUDGET_KEY[kind]];
  // A stamp "in the future" (taken before the clock went back) still counts: a budget never refills early.
  const counted = actions.filter((action) => action.kind === kind && action.at > now - window);
  const oldest = counted.reduce<number | null>((min, action) => (min === null || action.at < min ? action.at : min), null);
  return {
    kind,
    used: counted.length,
    max,
    windowMs: window,
    left: Math.max(0, max - counted.length),
    nextFreeAt: oldest === null ? null : oldest + window,
  };
}

/** Every budget at `now`, for the status socket and /metrics. */
export function allBudgets(policy: Config, actions: readonly ActionStamp[], now: number): BudgetUse[] {
  return (Object.keys(BUDGET_KEY) as RemedyKind[]).map((kind) => budgetUse(policy, actions, kind, now));
}

/** Drop stamps older than every window: the state stays small over months. */
export function forgetOldActions(policy: Config, actions: readonly ActionStamp[], now: number): ActionStamp[] {
  const longest = Math.max(...Object.values(policy.budgets).map((budget) => budget.window));
  return actions.filter((action) => action.at > now - longest);
}
