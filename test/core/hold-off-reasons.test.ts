// Each shortened hold-off waits out exactly what the node does by itself, and no more: an API
// server that refuses connections while k3s is active is not coming back, one answering 500 may;
// a node NotReady gets six kubelet status updates, counted from k3s's start when that is later; a
// pod shown Unknown gets 60 s of a running kubelet (node Ready), a StatefulSet pod forced out 2 min.
import { describe, expect, it } from "vitest";
import { FakeNode } from "./harness.js";
import type { PodView } from "../../src/core/types.js";
import { T0, healthy, min, nodeNotReady, pod, reading, sec, unit, with_ } from "./builders.js";

const refused = reading("bad", { httpStatus: null }, "API not answering: connect ECONNREFUSED 127.0.0.1:6443");
const failing = reading("bad", { httpStatus: 500 }, "API not ready: /readyz answered HTTP 500, [-]etcd failed");
const blind = { nodes: reading("unknown", null, "cannot list nodes"), pods: reading("unknown", null, "cannot list pods") };
const kinds = (node: FakeNode) => node.remedies().map((e) => e.command.kind);

describe("the API refusing connections while k3s is active", () => {
  it("is confirmed by a second reading 2 s later, then k3s is restarted", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ api: refused, ...blind }));
    node.tick(T0 + sec(1), with_({ api: refused, ...blind }));
    expect(kinds(node)).toEqual([]);
    expect(node.lastResult!.step.wakeAt).toBe(T0 + sec(2));
    node.tick(T0 + sec(2), with_({ api: refused, ...blind }));
    expect(node.remedies().map((e) => [e.at, e.command.kind])).toEqual([[T0 + sec(2), "restart-k3s"]]);
  });

  it("is not acted on when the next reading shows k3s itself going down: systemd's restart is not raced", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ api: refused, ...blind }));
    const exiting = unit({ activeState: "deactivating", subState: "stop-sigterm", result: "success" });
    node.run(T0 + sec(2), T0 + sec(20), () => with_({ k3sUnit: exiting, api: refused, ...blind }));
    expect(kinds(node)).toEqual([]);
  });

  it("counts from when k3s became active, never from a refusal seen before its start ended", () => {
    const node = new FakeNode(T0);
    const justActive = unit({ activeEnterAt: T0 + sec(10), inactiveExitAt: T0 });
    node.tick(T0, with_({ k3sUnit: unit({ activeState: "activating", subState: "start", inactiveExitAt: T0, activeEnterAt: null }), api: refused, ...blind }));
    node.run(T0 + sec(10), T0 + sec(11), () => with_({ k3sUnit: justActive, api: refused, ...blind }), 1000);
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + sec(12), with_({ k3sUnit: justActive, api: refused, ...blind }));
    expect(kinds(node)).toEqual(["restart-k3s"]);
  });

  it("an API answering /readyz 500 still gets the whole 2-minute budget: a busy datastore clears by itself", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1) + sec(55), () => with_({ api: failing }));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + min(2), with_({ api: failing }));
    expect(kinds(node)).toEqual(["restart-k3s"]);
  });

  it("an API the daemon cannot reach (a timeout: unknown) is never a reason to restart k3s", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(20), () => with_({ api: reading("unknown", null, "could not reach the API: timeout"), ...blind }));
    expect(kinds(node)).toEqual([]);
  });
});

describe("the node NotReady while the API answers", () => {
  it("gets 60 s counted from k3s becoming active when that is later: the kubelet's first post after a start", () => {
    const node = new FakeNode(T0);
    const started = unit({ activeEnterAt: T0 + min(1), inactiveExitAt: T0 + sec(40) });
    node.run(T0 + min(1), T0 + min(1) + sec(55), () => with_({ k3sUnit: started, nodes: nodeNotReady() }));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + min(2), with_({ k3sUnit: started, nodes: nodeNotReady() }));
    expect(kinds(node)).toEqual(["restart-k3s"]);
  });

  it("a NotReady that clears within its budget is left to the kubelet", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(50), () => with_({ nodes: nodeNotReady() }));
    node.run(T0 + sec(55), T0 + min(10), () => with_({}));
    expect(kinds(node)).toEqual([]);
  });
});

describe("a pod shown Unknown", () => {
  const unknown = pod("rest-api-abc", { display: "Unknown", ready: false, unknown: "containers-unknown" });
  const deleted = (node: FakeNode) => node.remedies("delete-pods").map((e) => (e.command.kind === "delete-pods" ? e.command.pods.map((p) => [p.name, p.force]) : []));

  it("seen while the kubelet is not yet posting (node NotReady) gets its 60 s from the node's first Ready", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(50), () => with_({ nodes: nodeNotReady() }, [unknown]));
    expect(kinds(node)).toEqual([]);
    node.run(T0 + sec(55), T0 + sec(110), () => healthy([unknown]));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + sec(115), healthy([unknown]));
    expect(deleted(node)).toEqual([[["rest-api-abc", false]]]);
  });

  it("a NodeLost Deployment pod already Terminating is force-deleted after 60 s of a running kubelet", () => {
    const lost = pod("graph-visualization-abc", { display: "Unknown", ready: false, unknown: "node-lost", deletionAt: T0 - sec(10) });
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(55), () => healthy([lost]));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + sec(60), healthy([lost]));
    expect(deleted(node)).toEqual([[["graph-visualization-abc", true]]]);
  });

  it("a StatefulSet pod Unknown and Terminating is never forced out before 2 min from its first sighting: a second copy could start while its container runs", () => {
    const postgres: PodView = pod("postgres-0", { owner: { kind: "StatefulSet", name: "postgres" }, display: "Unknown", ready: false, unknown: "node-lost", deletionAt: T0 - sec(10) });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1) + sec(55), () => healthy([postgres]));
    expect(kinds(node)).toEqual([]);
    expect(node.lastResult!.step.wakeAt).toBe(T0 + min(2));
    node.tick(T0 + min(2), healthy([postgres]));
    expect(deleted(node)).toEqual([[["postgres-0", true]]]);
  });

  it("a StatefulSet pod shown Unknown but not Terminating is deleted gracefully after the 60 s: the kubelet stops its container first", () => {
    const postgres: PodView = pod("postgres-0", { owner: { kind: "StatefulSet", name: "postgres" }, display: "Unknown", ready: false, unknown: "containers-unknown" });
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(60), () => healthy([postgres]));
    expect(deleted(node)).toEqual([[["postgres-0", false]]]);
  });
});

describe("the containerd socket missing while k3s is active", () => {
  const missing = reading("bad", { path: "/run/k3s/containerd/containerd.sock", exists: false, accepts: false }, "containerd socket missing");

  it("gets 10 s, not a minute: k3s never restarts containerd itself (it exits with it), so nothing brings the socket back", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(5), () => with_({ containerdSocket: missing, api: refused, ...blind }));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + sec(10), with_({ containerdSocket: missing, api: refused, ...blind }));
    expect(kinds(node)).toEqual(["killall-k3s"]);
  });

  it("counts from k3s becoming active: a socket not yet there during a start is k3s's start, not this symptom", () => {
    const node = new FakeNode(T0);
    const starting = unit({ activeState: "activating", subState: "start", inactiveExitAt: T0, activeEnterAt: null });
    node.run(T0, T0 + sec(30), () => with_({ k3sUnit: starting, containerdSocket: missing, api: refused, ...blind }));
    const active = unit({ activeEnterAt: T0 + sec(35), inactiveExitAt: T0 });
    node.run(T0 + sec(35), T0 + sec(40), () => with_({ k3sUnit: active, containerdSocket: missing, api: refused, ...blind }));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + sec(45), with_({ k3sUnit: active, containerdSocket: missing, api: refused, ...blind }));
    expect(kinds(node)).toEqual(["killall-k3s"]);
  });
});
