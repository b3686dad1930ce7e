// Only the node this host registered as drives the ladder: node objects left by a renamed host or an
// old agent are reported, never acted on.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/load.js";
import { nodeView } from "../../src/kube/node-view.js";
import { ownNodeName } from "../../src/kube/own-node.js";
import { interpretNodes } from "../../src/probes/nodes.js";
import { FakeNode } from "../core/harness.js";
import { T0, min, sec, with_ } from "../core/builders.js";

// A Node object left behind by the host's old name: kubelet stopped posting its status long ago.
const leftover = {
  apiVersion: "v1", kind: "Node",
  metadata: { name: "raspberrypi", uid: "uid-node-old", labels: { "kubernetes.io/hostname": "raspberrypi", "node-role.kubernetes.io/control-plane": "true" } },
  status: {
    conditions: [
      { type: "MemoryPressure", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: "2025-10-02T07:11:09Z", lastTransitionTime: "2025-10-02T07:12:33Z" },
      { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: "2025-10-02T07:11:09Z", lastTransitionTime: "2025-10-02T07:12:33Z" },
    ],
  },
};
const current = {
  apiVersion: "v1", kind: "Node",
  metadata: { name: "songnodes-node", uid: "uid-node" },
  status: { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: "2025-11-13T08:00:00Z", lastTransitionTime: "2025-11-13T08:00:00Z" }] },
};
const notReady = { ...current, status: { conditions: [{ ...current.status.conditions[0]!, status: "False", reason: "KubeletNotReady", message: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized" }] } };

describe("which node is this host's", () => {
  it("is the host name as k3s registers it, lower-cased, unless nodeName is configured", () => {
    expect(ownNodeName(null, "SongNodes-Node")).toBe("songnodes-node");
    expect(ownNodeName("pi-4b", "SongNodes-Node")).toBe("pi-4b");
  });

  it("nodeName must be a Kubernetes node name: the config is refused otherwise", () => {
    expect(parseConfig({ nodeName: "pi-4b.lan" }).nodeName).toBe("pi-4b.lan");
    expect(parseConfig({}).nodeName).toBeNull();
    expect(() => parseConfig({ nodeName: "Pi_4B" })).toThrow(ConfigError);
    expect(() => parseConfig({ nodeName: "Pi_4B" })).toThrow(/nodeName: not a Kubernetes node name/);
  });
});

describe("a node object left over from a renamed host", () => {
  it("NotReady next to this host's Ready node: ok, and the leftover is named, not judged", () => {
    const reading = interpretNodes([nodeView(leftover), nodeView(current)], "songnodes-node");
    expect(reading).toMatchObject({
      status: "ok",
      reason: "node songnodes-node Ready; not judged, not this host's: node raspberrypi Ready=Unknown (NodeStatusUnknown): Kubelet stopped posting node status.",
    });
  });

  it("this host's node NotReady is bad, whatever the leftover says", () => {
    expect(interpretNodes([nodeView(leftover), nodeView(notReady)], "songnodes-node").status).toBe("bad");
    expect(interpretNodes([nodeView(notReady)], "songnodes-node").reason).toMatch(/^node songnodes-node Ready=False \(KubeletNotReady\)/);
  });

  it("only the leftover registered: unknown (the name may be wrong), never a k3s restart", () => {
    expect(interpretNodes([nodeView(leftover)], "songnodes-node")).toMatchObject({
      status: "unknown",
      reason: "node songnodes-node is not registered (the API has raspberrypi); set nodeName in the config if this host registered under another name",
    });
  });

  it("never makes the daemon restart k3s, in an hour of it", () => {
    const node = new FakeNode(T0);
    const nodes = interpretNodes([nodeView(leftover), nodeView(current)], "songnodes-node");
    node.run(T0, T0 + min(60), () => with_({ nodes }), sec(30));
    expect(node.remedies()).toEqual([]);
    expect(node.state.phase).toBe("healthy");
  });
});
