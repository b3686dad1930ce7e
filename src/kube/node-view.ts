// A Node as the daemon decides on it: its Ready condition. Ready=Unknown comes with "Kubelet stopped
// posting node status." (the node controller's verdict after the grace period); Ready=False with
// kubelet's own KubeletNotReady messages.
import type { NodeView } from "../core/types.js";
import { type NodeJson, toEpochMs } from "./pod-json.js";

/** Derive the daemon's view of one node from the API object. */
export function nodeView(node: NodeJson): NodeView {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (!ready) {
    // A node object registered by kubelet before its first status update has no conditions yet.
    return { name: node.metadata?.name ?? "", ready: "Unknown", reason: "NoReadyCondition", message: "the node has not reported a Ready condition yet", since: null };
  }
  return {
    name: node.metadata?.name ?? "",
    ready: ready.status === "True" || ready.status === "False" ? ready.status : "Unknown",
    reason: ready.reason ?? "",
    message: ready.message ?? "",
    since: toEpochMs(ready.lastTransitionTime),
  };
}
