// Which runs the fair floor may count: those that did nothing the scenario forbids. A scenario's
// strict expectations say what a correct daemon must never do (no action at all, no k3s restart,
// no more deletions of a workload's pods than it names); a plan that heals faster by doing exactly
// that is not a speed a correct daemon could reach, so it does not set the fair floor.
import type { RemedyKind } from "../../src/core/types.js";
import type { Scenario } from "../../src/sim/scenario/schema.js";
import type { RunMetrics } from "./drive.js";

/** What `run` did beyond the scenario's limits, one line each; empty when it stayed within them. */
export function breaches(scenario: Scenario, run: RunMetrics): string[] {
  const expect = scenario.expect;
  const out: string[] = [];
  const kinds = Object.keys(run.actions) as RemedyKind[];
  if (expect.noActions) for (const kind of kinds) if (run.actions[kind] > 0) out.push(`${kind} ×${run.actions[kind]} where no action is allowed`);
  for (const limits of [expect.actionsExactly, expect.maxActions]) {
    for (const [kind, max] of Object.entries(limits ?? {}) as [RemedyKind, number][]) {
      if (run.actions[kind] > max) out.push(`${kind} ×${run.actions[kind]} > ${max}`);
    }
  }
  for (const [prefix, max] of Object.entries(expect.deletionsExactly ?? {})) {
    const n = run.deletedPods.filter((name) => name.startsWith(prefix)).length;
    if (n > max) out.push(`deleted ${prefix}* ×${n} > ${max}`);
  }
  return out;
}

/** The run stayed within what the scenario allows. */
export function admissible(scenario: Scenario, run: RunMetrics): boolean {
  return breaches(scenario, run).length === 0;
}
