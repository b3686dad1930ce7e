// Daily: the node conditions MemoryPressure, DiskPressure and PIDPressure (the runbook's "Memory
// Pressure on Single Node"): any of them True is crit, since kubelet is evicting or about to.
import type { NodeJson } from "../../kube/pod-json.js";
import { failed, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

const PRESSURES = ["MemoryPressure", "DiskPressure", "PIDPressure"] as const;
const NEXT: Record<(typeof PRESSURES)[number], string> = {
  MemoryPressure: "kubectl top pods -A --sort-by=memory",
  DiskPressure: "df -h / /var/lib/rancher/k3s && sudo k3s crictl rmi --prune",
  PIDPressure: "ps -eLf | wc -l && kubectl top pods -A",
};

/** Judge the nodes' pressure conditions. */
export function interpretNodePressure(nodes: readonly NodeJson[]): CheckResult {
  const findings: Finding[] = [];
  for (const node of nodes) {
    const name = node.metadata?.name ?? "";
    for (const type of PRESSURES) {
      const condition = (node.status?.conditions ?? []).find((c) => c.type === type);
      if (condition?.status !== "True") continue;
      findings.push({ key: `node:${name}:${type}`, level: "crit", text: `node ${name} ${type}${condition.message ? `: ${condition.message}` : ""}`, next: NEXT[type] });
    }
  }
  return fromFindings(findings, nodes.length === 0 ? "no nodes registered" : `no memory, disk or PID pressure on ${nodes.map((n) => n.metadata?.name).join(", ")}`);
}

/** The check. */
export function createNodePressureCheck(deps: { kube: MaintenanceKube }): MaintenanceCheck {
  return {
    name: "node-pressure",
    cadence: "daily",
    async run(signal) {
      const nodes = await deps.kube.nodes(signal);
      if (failed(nodes)) return cannotLook(`cannot list nodes: ${nodes.error}`, "kubectl get nodes");
      return interpretNodePressure(nodes);
    },
  };
}
