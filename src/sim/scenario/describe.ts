// Faults and operator requests in words, for the timeline.
import { formatDuration } from "../../config/duration.js";
import type { ScenarioFault, ScenarioOperatorStep } from "./schema.js";
import { describeRunbookFault } from "./describe-runbook.js";

const lasting = (duration: number | null) => (duration === null ? "until fixed" : `for ${formatDuration(duration)}`);
const which = (workloads: string[] | null) => (workloads === null ? "every workload" : workloads.join(", "));

/** One fault as a sentence. */
export function describeFault(fault: ScenarioFault): string {
  switch (fault.fault) {
    case "k3s-slow-start": return `k3s will take ${formatDuration(fault.duration)} to start`;
    case "k3s-fails-to-start": return fault.times > 1000 ? "k3s dies and never starts again" : `k3s fails ${fault.times} time(s): it dies now${fault.times > 1 ? `, and its next ${fault.times - 1} start attempt(s) fail` : ""}`;
    case "k3s-start-limit": return `k3s's failures now hit systemd's start limit (Result ${fault.wording ?? "start-limit-hit"})`;
    case "k3s-active-state": return `systemd reports k3s's ActiveState as ${JSON.stringify(fault.state)}, which it does not define${fault.duration === null ? "" : `, for ${formatDuration(fault.duration)}`}`;
    case "k3s-log-unreadable": return `${fault.source === "journal" ? "the k3s journal" : "containerd.log"} cannot be read (${fault.error})${fault.duration === null ? "" : ` for ${formatDuration(fault.duration)}`}`;
    case "k3s-crash-loop": return `k3s flaps: crashes ${formatDuration(fault.every)} after each start${fault.times ? `, ${fault.times} times` : ""}`;
    case "k3s-killed": return "k3s's main process is killed (SIGKILL)";
    case "containerd-socket-missing": return `containerd dies, its socket is gone (fixed by: ${fault.fixedBy})`;
    case "containerd-corruption": return "containerd's bbolt metadata is corrupt: it panics at every start";
    case "api-down": return `the API server refuses connections ${lasting(fault.duration)}`;
    case "api-500": return `the API server answers HTTP 500 ${lasting(fault.duration)}${fault.survivesRestart ? ", through k3s restarts" : ""}`;
    case "api-hang": return `the API server never answers ${lasting(fault.duration)}${fault.survivesRestart ? ", through k3s restarts" : ""}`;
    case "systemd-unreachable": return `systemd's D-Bus does not answer ${lasting(fault.duration)}`;
    case "node-not-ready": return `kubelet reports the node NotReady ${lasting(fault.duration)}${fault.fixedByRestart && !fault.survivesRestart ? " (a k3s restart fixes it)" : ", through k3s restarts"}`;
    case "registry-down": return `the local registry container exits${fault.fixedByRestart ? "" : " (and every restart dies again)"}${fault.recoversAfter !== undefined ? `; it comes back by itself after ${formatDuration(fault.recoversAfter)}` : ""}`;
    case "image-missing": return `the registry loses ${fault.workload}'s image, and ${fault.workload} is rolled out`;
    case "pods-unknown": return `pods of ${which(fault.workloads)} are left ${fault.kind === "node-lost" ? (fault.deleted === false ? "NodeLost, not evicted (no deletionTimestamp)" : "NodeLost") : fault.kind === "phase-unknown" ? "in phase Unknown" : "Unknown (containers terminated, reason Unknown, exit code 255)"}`;
    case "pods-stuck-terminating": return `${fault.workloads.join(", ")} deleted (a rollout), and kubelet hangs terminating them${fault.finalizer ? `; finalizer ${fault.finalizer} holds them` : ""}`;
    case "slow-pulls": return `pulls from localhost:5000 now take ${formatDuration(fault.duration)} (${which(fault.workloads)})`;
    case "crash-loop": return `${fault.workload} has a bug: it exits 1 right after starting`;
    case "image-refused": return `${fault.workload} is rolled out on an image it can never get (${fault.refusal === "access-denied" ? "pull access denied, repository does not exist" : "ErrImageNeverPull"})`;
    case "node-reboot": return `${fault.graceful ? "the node is shut down for a reboot" : "the node loses power"}${fault.leftRunning ? ` (pods left Running, reason ${fault.leftRunning})` : ""}; back after ${formatDuration(fault.downFor)}`;
    case "postgres-data-loss": return `PostgreSQL loses ${fault.rows} rows of tracks`;
    case "postgres-count-failing": return fault.output === "error" ? "psql in postgres-0 fails from now on (password authentication failed)" : "psql in postgres-0 prints a warning before its count from now on";
    case "backup-failing": return "every postgres-backup Job from now on fails (BackoffLimitExceeded)";
    case "disk-filling": return `${fault.path} fills to ${fault.toPercent} % over ${formatDuration(fault.over)}`;
    case "pvc-filling": return `PVC ${fault.pvc} fills to ${fault.toPercent} % over ${formatDuration(fault.over)}`;
    case "foreign-pod-stuck": return `a klipper-lb pod on ${fault.image} stays ContainerCreating (no CNI for its sandbox)`;
    case "leftover-node": return `a Node object ${fault.name}, left by the host's old name, is NotReady for good`;
    case "clock-jump": return `the node's wall clock steps ${fault.by < 0 ? "back" : "forward"} by ${formatDuration(Math.abs(fault.by))} (an NTP step); its monotonic clock does not`;
    default: return describeRunbookFault(fault);
  }
}

/** One operator request as a sentence. */
export function describeOperator(step: ScenarioOperatorStep): string {
  if ("pause" in step) return `operator: songnodes-watchdog pause --for ${formatDuration(step.pause)} --reason "${step.reason}"`;
  if ("resume" in step) return `operator: songnodes-watchdog resume ("${step.resume}")`;
  if ("repair" in step) return `a person repairs the node ("${step.repair}")`;
  return "operator: systemctl restart songnodes-watchdog";
}
