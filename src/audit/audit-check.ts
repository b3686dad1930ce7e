// The audit as a runbook check: the whole checklist when it is due (`checks.auditEvery`, weekly by
// default) or after a rollout (a workload's metadata.generation changed); in between the last
// result stands. Each rule that warns is one finding, said once while it lasts. Nothing acts.
import type { Clock } from "../ports.js";
import { cannotLook, resultOf, type CheckResult, type Finding, type RunbookCheck } from "../runbook-checks/check-result.js";
import type { RunbookKube } from "../runbook-checks/kube-objects.js";
import { auditWorkloads, type AuditObjects } from "./audit-rules.js";
import type { Checklist } from "./checklist.js";
import { readAuditObjects } from "./read-workloads.js";

/** Workloads and their generations: a change is a rollout. */
export function generations(objects: Pick<AuditObjects, "deployments" | "statefulSets" | "cronJobs">): string {
  return [...objects.deployments, ...objects.statefulSets, ...objects.cronJobs]
    .map((o) => `${o.kind}/${o.metadata?.name}@${o.metadata?.generation ?? 0}`)
    .sort()
    .join(",");
}

/** Each rule that warns, as a finding said once while it lasts. */
export function auditFindings(objects: AuditObjects, checklist: Checklist): Finding[] {
  return auditWorkloads(objects, checklist).filter((line) => !line.ok).map((line) => ({
    key: `audit:${line.workload}:${line.rule}`,
    level: "warn" as const,
    text: `resilience checklist: ${line.workload} ${line.rule}: ${line.detail}`,
    next: "songnodes-watchdog audit",
  }));
}

/** Build the check `audit` for the runbook checks' runner (used when the maintenance scheduler is off). */
export function createAuditCheck(deps: { kube: Pick<RunbookKube, "list">; namespace: string; clock: Clock; everyMs: number; checklist: Checklist }): RunbookCheck {
  let last: { at: number; seen: string; result: CheckResult } | null = null;
  return {
    name: "audit",
    async run(signal) {
      const objects = await readAuditObjects(deps.kube, deps.namespace, signal);
      if ("error" in objects) return cannotLook(objects.error);
      const now = deps.clock.now();
      const seen = generations(objects);
      if (last && now - last.at < deps.everyMs && last.seen === seen) return last.result;
      last = { at: now, seen, result: resultOf(auditFindings(objects, deps.checklist), `every workload in ${deps.namespace} follows the resilience checklist`) };
      return last.result;
    },
  };
}
