// kubectl's STATUS column, ported from printPod() in kubernetes/pkg/printers/internalversion/printers.go
// (Kubernetes 1.27+): the phase alone hides ImagePullBackOff (phase Pending), CrashLoopBackOff (phase
// Running) and Terminating (any phase), so the daemon reads the pod the way its owner does.
import type { ContainerStatusJson, PodJson } from "./pod-json.js";

/** The node controller's status.reason for pods on an unreachable node (NodeUnreachablePodReason). */
export const NODE_LOST = "NodeLost";

/** The STATUS column `kubectl get pods` prints for this pod. */
export function podDisplay(pod: PodJson): string {
  const status = pod.status ?? {};
  const phase = status.phase ?? "";
  let reason = status.reason ? status.reason : phase;
  for (const condition of status.conditions ?? []) {
    if (condition.type === "PodScheduled" && condition.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const initSpecs = pod.spec?.initContainers ?? [];
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i]!;
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    // A sidecar (restartable init container) that has started does not hold initialisation up.
    if (sidecars.has(container.name) && container.started === true) continue;
    if (terminated) {
      reason = terminated.reason ? `Init:${terminated.reason}` : `Init:${exitText(terminated)}`;
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, "Initialized")) {
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // kubectl walks the containers backwards, so the first container's state wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container: ContainerStatusJson = statuses[i]!;
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = exitText(terminated);
      else if (container.ready && container.state?.running) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_LOST) return "Unknown";
  if (deleting && phase !== "Succeeded" && phase !== "Failed") return "Terminating";
  return reason;
}

function exitText(terminated: { signal?: number; exitCode?: number }): string {
  return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
}

function conditionTrue(pod: PodJson, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}
