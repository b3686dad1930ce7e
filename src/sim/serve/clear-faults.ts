// Clearing the served node's faults: every switch back to "no fault", so the node stops failing.
// What a fault already broke is not mended by magic: it heals the way it would after the cause is
// gone (k3s's next start succeeds, the API answers again); a registry left down is started again.
import { noFaults, type FaultSwitches } from "../model/faults.js";
import type { SongNodesNode } from "../model/songnodes-node.js";

// The switches that are on, by name, for the answer to POST /v1/faults/clear.
function active(faults: FaultSwitches): string[] {
  const none = noFaults() as unknown as Record<string, unknown>;
  return Object.entries(faults).filter(([name, value]) => {
    if (value instanceof Set) return value.size > 0;
    return JSON.stringify(value) !== JSON.stringify(none[name]);
  }).map(([name]) => name);
}

/** Clear every fault switch of `node`; returns the names of those that were on. */
export function clearFaults(node: SongNodesNode): string[] {
  const cleared = active(node.runtime.faults);
  Object.assign(node.runtime.faults, noFaults());
  if (node.registry.containerState() === "exited" && node.runtime.poweredOn()) {
    // Its cause is gone: Docker's --restart=always brings the container back, as the daemon's
    // restart-registry would.
    node.registry.clearCauses();
    void node.registry.restart();
    cleared.push("registry");
  }
  return cleared;
}
