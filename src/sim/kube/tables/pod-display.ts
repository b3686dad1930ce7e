// kubectl's STATUS, READY and RESTARTS for a pod, as kube-apiserver's printPod derives them. This
// stands in until src/kube/pod-view.ts (podView().display) exists; then the pod table uses that, so
// the simulator and the daemon agree by construction.
import type { KubeObject } from "../store-types.js";

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodShape {
  metadata: { deletionTimestamp?: string };
  spec?: { containers?: unknown[]; initContainers?: unknown[] };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type: string; status: string }[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** The columns kubectl shows for a pod, before AGE. */
export interface PodDisplay {
  ready: string;
  status: string;
  restarts: number;
  /** finishedAt of the most recent restart, for "3 (5m ago)". */
  lastRestartAt: string | null;
}

/** Derive STATUS the way kubectl shows it (deletionTimestamp, status.reason, container reasons). */
export function podDisplay(object: KubeObject): PodDisplay {
  const pod = object as unknown as PodShape;
  const status = pod.status ?? {};
  const initStatuses = status.initContainerStatuses ?? [];
  const statuses = status.containerStatuses ?? [];
  let reason = status.reason || status.phase || "";
  let restarts = 0;
  let lastRestartAt: string | null = null;
  let readyContainers = 0;
  let initializing = false;
  const noteRestart = (c: ContainerStatus) => {
    restarts += c.restartCount ?? 0;
    const at = c.lastState?.terminated?.finishedAt;
    if (at && (lastRestartAt === null || at > lastRestartAt)) lastRestartAt = at;
  };
  for (const [i, c] of initStatuses.entries()) {
    noteRestart(c);
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
    else if (w?.reason && w.reason !== "PodInitializing") reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${pod.spec?.initContainers?.length ?? initStatuses.length}`;
    break;
  }
  const initialized = (status.conditions ?? []).some((c) => c.type === "Initialized" && c.status === "True");
  if (!initializing || initialized) {
    restarts = 0;
    let hasRunning = false;
    for (const c of [...statuses].reverse()) {
      noteRestart(c);
      const t = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      reason = (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True") ? "Running" : "NotReady";
    }
  }
  const terminal = status.phase === "Succeeded" || status.phase === "Failed";
  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && !terminal) reason = "Terminating";
  const total = pod.spec?.containers?.length ?? statuses.length;
  return { ready: `${readyContainers}/${total}`, status: reason, restarts, lastRestartAt };
}
