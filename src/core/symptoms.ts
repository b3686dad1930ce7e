// Node-level symptoms and their hold-offs: when is k3s failing (rather than starting), when has the
// API or the node been not ready for too long, when do pods need the registry checked. A symptom
// is only ever found on a "bad" reading; "unknown" means the daemon cannot tell and never acts.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import type { Observations, Symptom } from "./types.js";
import { unitTimes, type Clocks } from "./unit-times.js";

export interface SymptomFinding {
  symptom: Symptom;
  /** When the trouble began. */
  since: number;
  /** Past its hold-off, and not a start attempt within its budget: a remedy may be taken now. */
  due: boolean;
  /** When it becomes due if nothing changes (the loop wakes then rather than at the next tick). */
  dueAt: number;
  why: string;
}

/** What the pods ask of the registry, from pod triage: some pods cannot pull from it, past their hold-off. */
export interface RegistryWanted {
  since: number;
  why: string;
}

// systemd's SubStates of a service that is running its start job (ExecStartPre/ExecStart until READY=1).
export const STARTING = new Set(["condition", "start-pre", "start", "start-post"]);

/** Every symptom present at `now`, in no particular order; `due` says which may be treated. */
export function findSymptoms(
  policy: Config,
  obs: Observations,
  registryWanted: RegistryWanted | null,
  now: number,
  clocks: Clocks & { startSeenAt?: number | null } = {},
): SymptomFinding[] {
  const findings: SymptomFinding[] = [];
  const { timing } = policy;
  const unit = obs.k3sUnit;
  const times = unit.detail === null ? { attemptAt: null, activeAt: null } : unitTimes(unit.detail, now, clocks, clocks.startSeenAt ?? null);

  if (unit.status === "bad") {
    const attemptAt = times.attemptAt;
    const starting = unit.detail !== null && STARTING.has(unit.detail.subState) && attemptAt !== null;
    const attemptAge = attemptAt === null ? 0 : now - attemptAt;
    const badFor = now - unit.since;
    // Uptime counts from the start attempt (its process's start, src/core/unit-times.ts): a repair
    // timer measured from ActiveEnterTimestamp can line up with RestartSec and kill k3s forever.
    // systemd gave up on the unit (start-limit-hit): no Restart= is coming, so there is no reason to wait.
    const holdOff = startLimitHit(unit.detail?.result) && unit.detail?.activeState === "failed" ? 0 : timing.k3sHoldOff;
    if (starting && attemptAge < timing.k3sStartBudget) {
      findings.push({
        symptom: "k3s-down",
        since: unit.since,
        due: false,
        dueAt: Math.max((attemptAt ?? now) + timing.k3sStartBudget, unit.since + holdOff),
        why: `${unit.reason}; its start attempt is ${formatDuration(attemptAge)} old, within the ${formatDuration(timing.k3sStartBudget)} start budget: not interrupting it`,
      });
    } else {
      findings.push({
        symptom: "k3s-down",
        since: unit.since,
        due: badFor >= holdOff,
        dueAt: unit.since + holdOff,
        why: `${unit.reason} (for ${formatDuration(badFor)})`,
      });
    }
    // With k3s down, everything below it is down too: one symptom explains them.
    return findings;
  }
  if (unit.status !== "ok") return findings;

  const activeAt = times.activeAt ?? 0;
  const layer = (symptom: Symptom, reading: { status: string; since: number; reason: string }, holdOff: number): boolean => {
    if (reading.status !== "bad") return false;
    // A layer that went bad before k3s last became active gets its full hold-off from then on.
    const since = Math.max(reading.since, activeAt);
    findings.push({ symptom, since, due: now - since >= holdOff, dueAt: since + holdOff, why: `${reading.reason} (for ${formatDuration(now - since)})` });
    return true;
  };

  if (layer("containerd-socket-missing", obs.containerdSocket, timing.containerdHoldOff)) return findings;
  // A refused connection is no API server at all: k3s signals READY only after its API server answered,
  // and it never restarts that server by itself. The short hold-off lets one more reading see the unit
  // go down too (k3s exiting), so systemd's own restart is not raced. A failing /readyz (HTTP 500) is
  // a server that may recover (its datastore busy, post-start hooks): it gets the whole budget.
  if (layer("api-not-ready", obs.api, apiRefused(obs) ? timing.apiRefusedHoldOff : timing.apiBudget)) return findings;
  if (obs.api.status !== "ok") return findings;
  if (layer("node-not-ready", obs.nodes, timing.nodeReadyBudget)) return findings;

  if (registryWanted !== null && obs.registry.status === "bad") {
    findings.push({
      symptom: "registry-down",
      since: registryWanted.since,
      due: true,
      dueAt: now,
      why: `${obs.registry.reason}; ${registryWanted.why}`,
    });
  }
  return findings;
}

/** The API probe's bad reading came from a refused connection, not from a /readyz answer. */
export function apiRefused(obs: Observations): boolean {
  return obs.api.status === "bad" && obs.api.detail !== null && obs.api.detail.httpStatus === null;
}

/** systemd refused further starts: Result start-limit-hit, or start-limit as systemd before v230 wrote it. */
export function startLimitHit(result: string | undefined): boolean {
  return result === "start-limit-hit" || result === "start-limit";
}
