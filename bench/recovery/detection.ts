// The daemon's detection per failure kind: for each scenario's first fault, the daemon's detect time,
// worst over the scenarios that start with that fault. Printed under the recovery table.
import type { ScenarioResult } from "./catalog-run.js";

/** "  k3s-killed  0.05 s (2 scenarios)" per first fault, from the daemon's detect time. */
export function detectionByFault(all: ScenarioResult[], faults: Map<string, string>): string {
  const worst = new Map<string, { ms: number; scenarios: number }>();
  for (const result of all) {
    const fault = faults.get(result.scenario);
    const detectMs = result.runs.find((run) => run.contender === "daemon")?.detectMs ?? null;
    if (fault === undefined || detectMs === null) continue;
    const seen = worst.get(fault);
    worst.set(fault, { ms: Math.max(seen?.ms ?? 0, detectMs), scenarios: (seen?.scenarios ?? 0) + 1 });
  }
  return [...worst].sort(([a], [b]) => a.localeCompare(b)).map(([fault, { ms, scenarios }]) => `  ${fault.padEnd(28)} ${(ms / 1000).toFixed(2)} s (${scenarios} scenario${scenarios === 1 ? "" : "s"})`).join("\n");
}
