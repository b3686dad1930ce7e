// How the next k3s start goes, from the faults in force: containerd corruption (k3s dies with
// "containerd: exit status 2" and containerd.log shows the bbolt panic), a number of failing starts,
// a slow start, or a normal 15–30 s start. Consumes the one-shot faults it uses.
import { corruptContainerdLog, k3sJournalContainerdExit } from "./containerd-log.js";
import type { FaultSwitches } from "./faults.js";
import type { StartPlan } from "./k3s-unit.js";
import type { Prng } from "./prng.js";
import { isoTime } from "./render-pod.js";

export interface K3sStartPlan {
  plan: StartPlan;
  /** Set when the start leaves lines in containerd.log and the k3s journal. */
  logs: { containerdLog: string; journal: string } | null;
}

/** Decide the next start at `now`. */
export function planK3sStart(faults: FaultSwitches, prng: Prng, now: number): K3sStartPlan {
  if (faults.corruption) {
    const at = isoTime(now);
    return { plan: { kind: "fail", afterMs: prng.between(2_000, 4_000), result: "exit-code" }, logs: { containerdLog: corruptContainerdLog(at), journal: k3sJournalContainerdExit(at) } };
  }
  if (faults.failStarts > 0) {
    faults.failStarts--;
    return { plan: { kind: "fail", afterMs: prng.between(5_000, 15_000), result: "exit-code" }, logs: null };
  }
  const slow = faults.slowStartMs;
  faults.slowStartMs = null;
  return { plan: { kind: "ready", afterMs: slow ?? prng.between(15_000, 30_000) }, logs: null };
}
