// Runbook "Memory Pressure on Single Node": a pod that cannot be scheduled ("0/1 nodes are available:
// 1 Insufficient memory") stays Pending for ever on a single node; no restart helps, only smaller
// requests. Reported once per episode (per pod object), with the runbook's advice. Never a remedy.
import { toEpochMs } from "../kube/pod-json.js";
import type { Finding } from "./check-result.js";
import type { ApiObject } from "./kube-objects.js";

/** One pod that the scheduler cannot place, and why in the scheduler's words. */
export interface Unschedulable {
  pod: string;
  uid: string;
  message: string;
  cause: "memory" | "cpu" | "taint" | "other";
}

// The scheduler's message lists every reason: "0/1 nodes are available: 1 Insufficient memory,
// 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: …".
function causeOf(message: string): Unschedulable["cause"] {
  if (/Insufficient memory/i.test(message)) return "memory";
  if (/Insufficient cpu/i.test(message)) return "cpu";
  if (/untolerated taint|had taint/i.test(message)) return "taint";
  return "other";
}

const ADVICE: Record<Unschedulable["cause"], string> = {
  memory: "lower the memory requests and limits in values.yaml and keep one replica per service",
  cpu: "lower the cpu requests in values.yaml and keep one replica per service",
  taint: "the node is tainted (disk or memory pressure): free the resource named, the taint then lifts by itself",
  other: "read the pod's events",
};

/** The pods Pending and unscheduled, from PodScheduled=False or their newest FailedScheduling event. */
export function findUnschedulable(pods: ApiObject[], events: ApiObject[]): Unschedulable[] {
  const latest = new Map<string, { at: number; message: string }>();
  for (const event of events) {
    if (event?.reason !== "FailedScheduling") continue;
    const uid = event.involvedObject?.uid;
    if (typeof uid !== "string") continue;
    const at = toEpochMs(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp) ?? 0;
    if ((latest.get(uid)?.at ?? -1) <= at) latest.set(uid, { at, message: String(event.message ?? event.note ?? "") });
  }
  const out: Unschedulable[] = [];
  for (const pod of pods) {
    const uid = pod?.metadata?.uid;
    if (pod?.status?.phase !== "Pending" || pod?.spec?.nodeName || typeof uid !== "string" || pod.metadata?.deletionTimestamp) continue;
    const scheduled = (pod.status?.conditions ?? []).find((c: ApiObject) => c?.type === "PodScheduled");
    const fromCondition = scheduled?.status === "False" ? String(scheduled.message ?? scheduled.reason ?? "") : null;
    const fromEvent = latest.get(uid)?.message ?? null;
    if (fromCondition === null && fromEvent === null) continue;
    const message = (fromCondition || fromEvent || "unschedulable").trim();
    out.push({ pod: String(pod.metadata?.name ?? "?"), uid, message, cause: causeOf(message) });
  }
  return out.sort((a, b) => a.pod.localeCompare(b.pod));
}

/** One finding per unschedulable pod; its key is the pod's uid, so an episode is said once. */
export function judgeScheduling(found: Unschedulable[], namespace: string): Finding[] {
  return found.map((p) => ({
    key: `scheduling:${p.uid}`,
    level: "warn",
    text: `pod ${p.pod} cannot be scheduled (${p.message}): ${ADVICE[p.cause]}`,
    next: `kubectl -n ${namespace} describe pod ${p.pod}`,
  }));
}
