// The READY and RESTARTS cells of a pod row, as kube-apiserver's printPod computes them. STATUS comes
// from the daemon's own podView() (src/kube/pod-view.ts), so what kubectl prints against the
// simulator and what the watchdog decides on can never disagree.
import { podView } from "../../../kube/pod-view.js";
import type { PodJson } from "../../../kube/pod-json.js";
import type { KubeObject } from "../store-types.js";

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string } } | null;
  lastState?: { terminated?: { finishedAt?: string } } | null;
}

/** The cells kubectl shows for a pod before AGE. */
export interface PodColumns {
  ready: string;
  status: string;
  restarts: number;
  /** finishedAt of the most recent restart, for "3 (5m ago)". */
  lastRestartAt: string | null;
}

/** READY counts running ready containers; RESTARTS sums the app containers' restarts. */
export function podColumns(object: KubeObject): PodColumns {
  const spec = (object.spec ?? {}) as { containers?: unknown[] };
  const status = (object.status ?? {}) as { containerStatuses?: ContainerStatus[] };
  const statuses = status.containerStatuses ?? [];
  let ready = 0;
  let restarts = 0;
  let lastRestartAt: string | null = null;
  for (const c of statuses) {
    restarts += c.restartCount ?? 0;
    const at = c.lastState?.terminated?.finishedAt;
    if (at && (lastRestartAt === null || at > lastRestartAt)) lastRestartAt = at;
    if (c.ready && c.state?.running && !c.state.waiting?.reason && !c.state.terminated) ready++;
  }
  const display = podView(object as unknown as PodJson, { localRegistryPrefix: "localhost:5000/" }).display;
  return { ready: `${ready}/${spec.containers?.length ?? statuses.length}`, status: display, restarts, lastRestartAt };
}
