// Injecting one fault into the running model: set its switch, and start it where it begins now
// (a fault that makes k3s fail to start kills a running k3s, so the failing starts follow).
import type { Fault } from "./faults.js";
import type { NodeRuntime } from "./node-runtime.js";
import type { RunbookFaces } from "./runbook-faces.js";

/** What a fault needs besides the runtime's own operations. */
export interface FaultTargets {
  runtime: NodeRuntime;
  faces: RunbookFaces;
  crashK3s(result: "exit-code" | "signal"): void;
  now(): number;
  removeImage(workload: string): void;
  restartWorkloadPod(workload: string): void;
  nudgeWorkload(workload: string): void;
  registryDown(fixedByRestart: boolean, recoversAfter: number | null): void;
  addForeign(fault: Extract<Fault, { fault: "foreign-pod-stuck" | "leftover-node" }>): void;
  /** The maintenance faults (backup-failing, disk-filling, pvc-filling, postgres-count-failing). */
  maintenance(fault: Extract<Fault, { fault: "backup-failing" | "disk-filling" | "pvc-filling" | "postgres-count-failing" }>): void;
  /** Step the node's wall clock (an NTP step); monotonic time goes on as it was. */
  jumpClock(byMs: number): void;
  /** A fault ends at `at` without a transition of its own: a moment the runner must step to. */
  endsAt?(at: number): void;
}

/** Apply `fault` now. */
export function applyFault(targets: FaultTargets, fault: Fault): void {
  const { runtime } = targets;
  const { faults } = runtime;
  const until = (duration: number | null) => {
    if (duration === null) return null;
    targets.endsAt?.(targets.now() + duration);
    return targets.now() + duration;
  };
  switch (fault.fault) {
    case "k3s-slow-start":
      faults.slowStartMs = fault.duration;
      return;
    case "k3s-fails-to-start":
      // It dies now: that is the first failure; the next times-1 start attempts fail too.
      faults.failStarts += fault.times - 1;
      return targets.crashK3s("exit-code");
    case "k3s-start-limit":
      faults.startLimit = true;
      faults.startLimitWording = fault.wording ?? "start-limit-hit";
      return;
    case "k3s-active-state":
      faults.badActiveState = { state: fault.state, until: until(fault.duration) };
      return;
    case "k3s-log-unreadable":
      faults.logUnreadable[fault.source] = { error: fault.error, until: until(fault.duration) };
      return;
    case "k3s-crash-loop":
      faults.crashLoop = { every: fault.every, remaining: fault.times };
      return targets.crashK3s("exit-code");
    case "k3s-killed":
      return targets.crashK3s("signal");
    case "containerd-socket-missing":
      faults.socketMissing = fault.fixedBy;
      return runtime.containerdDied();
    case "containerd-corruption":
      faults.corruption = true;
      runtime.containerdDied();
      return targets.crashK3s("exit-code");
    case "api-down":
    case "api-500":
    case "api-hang":
      faults.api = { mode: fault.fault === "api-down" ? "down" : fault.fault === "api-500" ? "500" : "hang", until: until(fault.duration), survivesRestart: fault.survivesRestart === true };
      return;
    case "systemd-unreachable":
      faults.systemdUntil = until(fault.duration);
      return;
    case "node-not-ready": {
      // A second cause while the first holds: both must go (the later end, a restart only if it fixes each).
      const mine = { until: until(fault.duration), fixedByRestart: fault.fixedByRestart && fault.survivesRestart !== true };
      const held = faults.notReady !== null && (faults.notReady.until === null || targets.now() < faults.notReady.until) ? faults.notReady : null;
      faults.notReady = held === null ? mine : {
        until: held.until === null || mine.until === null ? null : Math.max(held.until, mine.until),
        fixedByRestart: held.fixedByRestart && mine.fixedByRestart,
      };
      return runtime.postReady();
    }
    case "registry-down":
      return targets.registryDown(fault.fixedByRestart, fault.recoversAfter ?? null);
    case "image-missing":
      targets.removeImage(fault.workload);
      return targets.restartWorkloadPod(fault.workload);
    case "image-refused":
      faults.pullRefused.set(fault.workload, fault.refusal);
      return targets.restartWorkloadPod(fault.workload);
    case "pods-unknown":
      if (runtime.kubeletUp()) return runtime.markUnknown(fault.kind, fault.workloads, fault.deleted ?? true);
      faults.pendingUnknown = { kind: fault.kind, workloads: fault.workloads, deleted: fault.deleted ?? true };
      return;
    case "pods-stuck-terminating":
      return runtime.stickTerminating(fault.workloads, fault.finalizer ?? null);
    case "slow-pulls":
      faults.slowPulls = { duration: fault.duration, workloads: fault.workloads };
      return;
    case "crash-loop":
      faults.crashLooping.add(fault.workload);
      return targets.nudgeWorkload(fault.workload);
    case "node-reboot":
      return runtime.reboot(fault.graceful, fault.downFor, fault.leftRunning ?? null);
    case "k3s-disabled":
      return targets.faces.setUnitFileState(fault.unit, "disabled");
    case "registry-no-restart-policy":
      return targets.faces.setRegistryRestartPolicy("no");
    case "flux-release-failed":
      return targets.faces.flux.failRelease(fault.fixedByReconcile);
    case "flux-absent":
      return targets.faces.flux.remove();
    case "spec-missing":
      return targets.faces.removeFromSpec(fault.workload, fault.field);
    case "insufficient-memory":
      return void targets.faces.unschedulableReplica(fault.workload);
    case "postgres-data-loss":
      return runtime.loseRows(fault.rows);
    case "backup-failing":
    case "disk-filling":
    case "pvc-filling":
    case "postgres-count-failing":
      return targets.maintenance(fault);
    case "foreign-pod-stuck":
    case "leftover-node":
      return targets.addForeign(fault);
    case "clock-jump":
      return targets.jumpClock(fault.by);
  }
}
