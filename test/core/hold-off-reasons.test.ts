// Each shortened hold-off waits out exactly what the node does by itself, and no more: an API
// server that refuses connections while k3s is active is not coming back, one answering 500 may;
// a node NotReady gets six kubelet status updates, counted from k3s's start when that is later.
import { describe, expect, it } from "vitest";
import { FakeNode } from "./harness.js";
import { T0, min, nodeNotReady, reading, sec, unit, with_ } from "./builders.js";

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
