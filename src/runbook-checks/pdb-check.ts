// The I/O of the PodDisruptionBudget check: the namespace's PDBs and pods, on a clock.
import type { Clock } from "../ports.js";
import { cannotLook, resultOf, type RunbookCheck } from "./check-result.js";
import { failedList, RESOURCES, type RunbookKube } from "./kube-objects.js";
import { findShortfalls, judgePdbs } from "./pdb-status.js";

/** Build the check `pdbs`; `budgetMs` is timing.podsConvergeBudget. */
export function createPdbCheck(deps: { kube: RunbookKube; namespace: string; clock: Clock; budgetMs: number }): RunbookCheck {
  const firstSeen = new Map<string, number>();
  return {
    name: "pdbs",
    async run(signal) {
      const [pdbs, pods] = await Promise.all([deps.kube.list(RESOURCES.pdbs, deps.namespace, signal), deps.kube.list(RESOURCES.pods, deps.namespace, signal)]);
      if (failedList(pdbs)) return cannotLook(`cannot list PodDisruptionBudgets in ${deps.namespace}: ${pdbs.error}`);
      if (failedList(pods)) return cannotLook(`cannot list pods in ${deps.namespace}: ${pods.error}`);
      const now = deps.clock.now();
      const findings = judgePdbs(findShortfalls(pdbs.items, pods.items, now, firstSeen), now, deps.budgetMs, deps.namespace);
      return resultOf(findings, `${pdbs.items.length} PodDisruptionBudgets in ${deps.namespace} at their minimum`);
    },
  };
}
