// Objects in the cluster that are not this node's SongNodes and that nothing in the model drives:
// the shapes real clusters carry that once made the daemon act wrongly. A ServiceLB (klipper-lb) pod
// stuck in ContainerCreating (no CNI for its sandbox), on an image not from the local registry; and a
// Node object left by the host's old name, NotReady for good.
import type { ObjectStore } from "../kube/store-types.js";
import { renderNode, STOPPED_POSTING } from "./node-object.js";
import { isoTime } from "./render-pod.js";

/** Put a klipper-lb pod that stays ContainerCreating, on `image`, into `namespace`. */
export function addStuckForeignPod(store: ObjectStore, namespace: string, nodeName: string, image: string, now: number): void {
  const owner = { apiVersion: "apps/v1", kind: "DaemonSet", name: "svclb-frontend-2b7f4c1e", uid: "uid-ds-svclb-frontend", controller: true };
  const waiting = (name: string) => ({ name, image, imageID: "", ready: false, started: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } }, lastState: {} });
  store.put("pods", {
    apiVersion: "v1", kind: "Pod",
    metadata: { name: "svclb-frontend-2b7f4c1e-x8q2m", namespace, labels: { app: "svclb-frontend-2b7f4c1e", "svccontroller.k3s.cattle.io/svcname": "frontend" }, ownerReferences: [owner] },
    spec: { nodeName, containers: [{ name: "lb-tcp-80", image }, { name: "lb-tcp-443", image }] },
    status: {
      phase: "Pending", hostIP: "192.168.1.50", startTime: isoTime(now),
      conditions: [
        { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: isoTime(now) },
        { type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: isoTime(now), reason: "ContainersNotReady", message: "containers with unready status: [lb-tcp-80 lb-tcp-443]" },
        { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: isoTime(now) },
      ],
      containerStatuses: [waiting("lb-tcp-443"), waiting("lb-tcp-80")],
    },
  });
}

/** Put the Node object `name` left by the host's old name: kubelet stopped posting its status long ago. */
export function addLeftoverNode(store: ObjectStore, name: string, now: number): void {
  const since = now - 30 * 86_400_000;
  store.put("nodes", renderNode(name, `uid-node-${name}`, since - 86_400_000, { ...STOPPED_POSTING, since, heartbeat: since }, "0d2c1a5e-old-boot"));
}
