// Weekly, and after each rollout: the runbook's Resilience Checklist against the live workloads
// (the rules of src/audit/), as a scheduled maintenance check. Its schedule is the weekly one; its
// trigger reads the workloads' generations at every look of the scheduler and asks for a run when
// one changed since the audit last read them (a rollout). It reads only: the port it gets has no
// write, so nothing in the audit can ever act.
import { auditFindings, generations } from "../../audit/audit-check.js";
import type { Checklist } from "../../audit/checklist.js";
import { readAuditObjects } from "../../audit/read-workloads.js";
import { failedList, RESOURCES, type RunbookKube } from "../../runbook-checks/kube-objects.js";
import { cannotLook, fromFindings, type MaintenanceCheck } from "../types.js";

/** What changed between two generation lists ("Deployment/rest-api@3"): the first few workloads named. */
export function rolloutOf(before: string, now: string): string | null {
  if (before === now) return null;
  const old = new Set(before.split(",").filter(Boolean));
  const changed = now.split(",").filter((entry) => entry !== "" && !old.has(entry)).map((entry) => entry.replace(/@\d+$/, "").replace(/^undefined\//, ""));
  const named = changed.length === 0 ? "a workload removed" : changed.slice(0, 3).join(", ") + (changed.length > 3 ? ` and ${changed.length - 3} more` : "");
  return `after a rollout (${named})`;
}

/** Build the scheduled check `audit`. */
export function createResilienceAuditCheck(deps: { kube: Pick<RunbookKube, "list">; namespace: string; checklist: Checklist }): MaintenanceCheck {
  // The generations the audit last judged (or first saw): a rollout is a change from these.
  let seen: string | null = null;
  const { kube, namespace } = deps;
  return {
    name: "audit",
    cadence: "weekly",
    async trigger({ signal }) {
      const lists = await Promise.all([RESOURCES.deployments, RESOURCES.statefulSets, RESOURCES.cronJobs].map((r) => kube.list(r, namespace, signal)));
      if (lists.some(failedList)) return null;
      const [deployments, statefulSets, cronJobs] = lists.map((l) => (l as { items: Record<string, any>[] }).items);
      const now = generations({ deployments: deployments!, statefulSets: statefulSets!, cronJobs: cronJobs! });
      // The first look of this process only learns what is there; the weekly run covers what came before.
      if (seen === null) seen = now;
      return rolloutOf(seen, now);
    },
    async run(signal) {
      const objects = await readAuditObjects(kube, namespace, signal);
      if ("error" in objects) return cannotLook(objects.error, "songnodes-watchdog audit");
      seen = generations(objects);
      return fromFindings(auditFindings(objects, deps.checklist), `every workload in ${namespace} follows the resilience checklist`);
    },
  };
}
