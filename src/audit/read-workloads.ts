// The audit's reads: the namespace's Deployments, StatefulSets, CronJobs, PVCs, PDBs and HPAs. A
// cluster without the autoscaling API has no HPA, which is what the audit wants; anything else that
// cannot be read makes the audit unable to tell. It reads only: the port it gets cannot write.
import type { AuditObjects } from "./audit-rules.js";
import { failedList, RESOURCES, type RunbookKube } from "../runbook-checks/kube-objects.js";

/** Every object the audit reads, or the first reason one could not be read. */
export async function readAuditObjects(kube: Pick<RunbookKube, "list">, namespace: string, signal: AbortSignal): Promise<AuditObjects | { error: string }> {
  const names = ["deployments", "statefulSets", "cronJobs", "pvcs", "pdbs", "hpas"] as const;
  const answers = await Promise.all(names.map((name) => kube.list(RESOURCES[name], namespace, signal)));
  const objects: Partial<AuditObjects> = {};
  for (const [i, name] of names.entries()) {
    const answer = answers[i]!;
    if (failedList(answer)) {
      if (name === "hpas" && answer.notFound) objects.hpas = [];
      else return { error: `cannot list ${RESOURCES[name].plural} in ${namespace}: ${answer.error}` };
    } else objects[name] = answer.items;
  }
  return objects as AuditObjects;
}
