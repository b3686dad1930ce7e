// The Node object of the single SongNodes node: its Ready condition with the exact reasons and
// messages kubelet and the node controller write, and nodeInfo.bootID, which changes on a reboot.
import type { KubeObject } from "../kube/store-types.js";
import { isoTime } from "./render-pod.js";

/** The Ready condition as the model holds it. */
export interface NodeReadiness {
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  since: number;
  heartbeat: number;
}

/** Ready=True as kubelet posts it. */
export const READY = { status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" } as const;
/** Ready=Unknown as the node controller writes it when kubelet went silent. */
export const STOPPED_POSTING = { status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." } as const;
/** Ready=False as kubelet posts it when the CNI is not up (the usual NotReady on k3s). */
export const NOT_READY = {
  status: "False",
  reason: "KubeletNotReady",
  message: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
} as const;

/** Render the Node object. */
export function renderNode(name: string, uid: string, createdAt: number, ready: NodeReadiness, bootId: string): KubeObject {
  const pressure = (type: string, reason: string, message: string) => ({
    type, status: ready.status === "Unknown" ? "Unknown" : "False",
    lastHeartbeatTime: isoTime(ready.heartbeat), lastTransitionTime: isoTime(createdAt),
    reason: ready.status === "Unknown" ? "NodeStatusUnknown" : reason,
    message: ready.status === "Unknown" ? "Kubelet stopped posting node status." : message,
  });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name, uid, creationTimestamp: isoTime(createdAt),
      labels: {
        "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true",
      },
      annotations: { "k3s.io/node-args": '["server"]' },
    },
    spec: { podCIDR: "10.42.0.0/24", podCIDRs: ["10.42.0.0/24"], providerID: `k3s://${name}` },
    status: {
      conditions: [
        pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        {
          type: "Ready", status: ready.status, reason: ready.reason, message: ready.message,
          lastHeartbeatTime: isoTime(ready.heartbeat), lastTransitionTime: isoTime(ready.since),
        },
      ],
      addresses: [{ type: "InternalIP", address: "192.168.1.50" }, { type: "Hostname", address: name }],
      nodeInfo: {
        bootID: bootId, machineID: "5f0c3a9d2b4e4d1c9a7e6b3f2d1c0b9a", systemUUID: "4c4c4544-0047-3510-8052-b4c04f4e3532",
        kernelVersion: "6.1.0-28-amd64", osImage: "Debian GNU/Linux 12 (bookworm)",
        containerRuntimeVersion: "containerd://1.7.23-k3s2", kubeletVersion: "v1.31.4+k3s1",
        kubeProxyVersion: "v1.31.4+k3s1", operatingSystem: "linux", architecture: "amd64",
      },
    },
  };
}
