// Which probes' bad reading can justify each remedy: the safety rule "never act on a probe that
// merely failed to look" as a table. The scenario key `remediesJustified` and the soak's invariants
// judge every remedy that reaches the node against what the daemon saw when it decided.
import type { Observations, ProbeName, RemedyKind } from "../../core/types.js";

export const JUSTIFIED_BY: Readonly<Record<RemedyKind, readonly ProbeName[]>> = {
  "restart-k3s": ["k3sUnit", "containerdSocket", "api", "nodes"],
  "killall-k3s": ["k3sUnit", "containerdSocket", "api", "nodes"],
  "restart-registry": ["registry", "pods"],
  "delete-pods": ["pods"],
};

/** Why a remedy of `kind` was not justified by `seen`, or null when it was. */
export function unjustified(kind: RemedyKind, seen: Observations): string | null {
  const statuses = (names: readonly string[]) => names.map((name) => `${name} ${seen[name as ProbeName].status}`).join(", ");
  if (Object.values(seen).every((o) => o.status === "ok")) return `every probe read ok (${statuses(Object.keys(seen))})`;
  if (!JUSTIFIED_BY[kind].some((name) => seen[name].status === "bad")) return `no probe that justifies it read bad (${statuses(JUSTIFIED_BY[kind])})`;
  return null;
}
