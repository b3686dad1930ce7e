// Runbook §4, PodDisruptionBudgets (`kubectl get pdb -n songnodes`): a PDB whose currentHealthy is
// below desiredHealthy means its service is down or degraded. A rollout or a restart dips below for
// a moment, so it is reported only once it has lasted longer than the pods' convergence budget
// (timing.podsConvergeBudget), naming the PDB's pods and their state.
import { toEpochMs } from "../kube/pod-json.js";
import type { Finding } from "./check-result.js";
import type { ApiObject } from "./kube-objects.js";

/** A PDB below its minimum, with the pods its selector picks. */
export interface PdbShortfall {
  name: string;
  uid: string;
  currentHealthy: number;
  desiredHealthy: number;
  /** When it went below (DisruptionAllowed's lastTransitionTime), else when first seen below. */
  since: number;
  pods: { name: string; state: string }[];
}

/** The pods `selector.matchLabels` picks (matchExpressions are not used by the chart). */
function selects(selector: ApiObject | undefined, pod: ApiObject): boolean {
  const labels: Record<string, string> = pod?.metadata?.labels ?? {};
  const match: Record<string, string> = selector?.matchLabels ?? {};
  const keys = Object.keys(match);
  return keys.length > 0 && keys.every((key) => labels[key] === match[key]);
}

/** A pod's state in a word or two, as kubectl's STATUS column would mostly show it. */
export function podState(pod: ApiObject): string {
  if (pod?.metadata?.deletionTimestamp) return "Terminating";
  const statuses: ApiObject[] = pod?.status?.containerStatuses ?? [];
  const waiting = statuses.map((s) => s?.state?.waiting?.reason).find((r) => typeof r === "string");
  if (waiting) return waiting;
  const phase = String(pod?.status?.reason ?? pod?.status?.phase ?? "Unknown");
  if (phase === "Running" && statuses.some((s) => s?.ready === false)) return "Running, not ready";
  return phase;
}

/** PDBs with currentHealthy < desiredHealthy; `firstSeen` remembers PDBs without a transition time. */
export function findShortfalls(pdbs: ApiObject[], pods: ApiObject[], now: number, firstSeen: Map<string, number>): PdbShortfall[] {
  const out: PdbShortfall[] = [];
  const below = new Set<string>();
  for (const pdb of pdbs) {
    const current = pdb?.status?.currentHealthy;
    const desired = pdb?.status?.desiredHealthy;
    const uid = String(pdb?.metadata?.uid ?? pdb?.metadata?.name);
    if (typeof current !== "number" || typeof desired !== "number" || current >= desired) continue;
    below.add(uid);
    const condition = (pdb.status?.conditions ?? []).find((c: ApiObject) => c?.type === "DisruptionAllowed" && c?.status === "False");
    const transition = toEpochMs(condition?.lastTransitionTime);
    if (!firstSeen.has(uid)) firstSeen.set(uid, now);
    const since = transition ?? firstSeen.get(uid)!;
    const mine = pods.filter((pod) => selects(pdb.spec?.selector, pod)).map((pod) => ({ name: String(pod.metadata?.name), state: podState(pod) }));
    out.push({ name: String(pdb.metadata?.name), uid, currentHealthy: current, desiredHealthy: desired, since, pods: mine.sort((a, b) => a.name.localeCompare(b.name)) });
  }
  for (const uid of [...firstSeen.keys()]) if (!below.has(uid)) firstSeen.delete(uid);
  return out;
}

/** A finding for each shortfall older than `budgetMs`; the key holds the PDB's uid and `since`. */
export function judgePdbs(shortfalls: PdbShortfall[], now: number, budgetMs: number, namespace: string): Finding[] {
  return shortfalls
    .filter((s) => now - s.since > budgetMs)
    .map((s) => {
      const minutes = Math.floor((now - s.since) / 60_000);
      const pods = s.pods.length === 0 ? "no pods match its selector" : s.pods.map((p) => `${p.name} ${p.state}`).join(", ");
      return {
        key: `pdb:${s.uid}:${s.since}`,
        level: "warn" as const,
        text: `PodDisruptionBudget ${s.name} has ${s.currentHealthy} healthy of ${s.desiredHealthy} wanted for ${minutes} min: ${pods}`,
        next: `kubectl -n ${namespace} get pdb ${s.name}; kubectl -n ${namespace} get pods`,
      };
    });
}
