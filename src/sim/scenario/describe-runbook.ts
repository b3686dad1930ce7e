// The runbook checks' faults in words, for the timeline (the other faults are in describe.ts).
import type { ScenarioFault } from "./schema.js";

type RunbookFault = Extract<ScenarioFault, { fault: "k3s-disabled" | "registry-no-restart-policy" | "insufficient-memory" | "spec-missing" | "flux-release-failed" | "flux-absent" }>;

/** One runbook-check fault as a sentence. */
export function describeRunbookFault(fault: RunbookFault): string {
  switch (fault.fault) {
    case "k3s-disabled": return `someone runs systemctl disable ${fault.unit.replace(/\.service$/, "")}: it will not start at the next boot`;
    case "registry-no-restart-policy": return "the registry container is recreated without --restart=always";
    case "insufficient-memory": return `${fault.workload} is scaled to a second replica that does not fit in memory`;
    case "flux-release-failed": return `the HelmRelease's upgrade fails until its retries are exhausted${fault.fixedByReconcile ? " (a reconcile fixes it)" : " (a reconcile does not help)"}`;
    case "flux-absent": return "Flux is not installed: its CRDs are absent";
    case "spec-missing": return `a chart change rolls out ${fault.workload} without ${fault.field === "limits" ? "memory limits" : `a ${fault.field}`}`;
  }
}
