// docs/design.md §3, the node-level rows of the ladder: each symptom after its hold-off, and its remedies in order.
import { describe, expect, it } from "vitest";
import { FakeNode } from "./harness.js";
import { T0, healthy, k3sCycling, min, nodeNotReady, reading, sec, unit, with_ } from "./builders.js";

describe("k3s.service not active or failed", () => {
  it("is left alone during its hold-off, then restarted through systemd", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ k3sUnit: k3sCycling() }));
    node.tick(T0 + sec(25), with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies()).toEqual([]);
    const commands = node.tick(T0 + sec(30), with_({ k3sUnit: k3sCycling() }));
    expect(commands).toContainEqual(expect.objectContaining({ kind: "restart-k3s", resetFailed: false }));
    expect(node.state.phase).toBe("recovering");
  });

  it("still down after the restart's verification window gets stop, killall, start", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(10), () => with_({ k3sUnit: k3sCycling() }));
    const kinds = node.remedies().map((e) => e.command.kind);
    expect(kinds).toEqual(["restart-k3s", "killall-k3s"]);
    const [restart, killall] = node.remedies();
    // the killall waits out the restart's 2-minute verification window
    expect(killall!.at - restart!.at).toBeGreaterThanOrEqual(min(2));
  });

  it("after killall the ladder is spent: gave-up, said once at priority err, and nothing more is done", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(30), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s", "killall-k3s"]);
    expect(node.state.phase).toBe("gave-up");
    const errs = node.announcements("err");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/gave up on k3s-down: the ladder is spent/);
  });

  it("Result start-limit-hit gets reset-failed before the restart", () => {
    const node = new FakeNode(T0);
    const limited = unit({ activeState: "failed", subState: "failed", result: "start-limit-hit" });
    node.run(T0, T0 + sec(30), () => with_({ k3sUnit: limited }));
    expect(node.remedies()[0]?.command).toMatchObject({ kind: "restart-k3s", resetFailed: true });
  });

  it("a k3s that comes back after its restart is recovered, and the ladder resets after the healthy hold", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(30), () => with_({ k3sUnit: k3sCycling() }));
    node.run(T0 + sec(35), T0 + min(5), () => healthy());
    expect(node.remedies()).toHaveLength(1);
    expect(node.state.ladder).toBeNull();
    expect(node.state.phase).toBe("healthy");
    expect(node.announcements("info").join()).toMatch(/recovered from k3s-down after restart-k3s/);
  });
});

describe("k3s active but the containerd socket missing", () => {
  it("goes straight to stop, killall, start after its hold-off, then gives up", () => {
    const node = new FakeNode(T0);
    const missing = reading("bad", { path: "/run/k3s/containerd/containerd.sock", exists: false, accepts: false }, "containerd socket missing");
    node.run(T0, T0 + sec(5), () => with_({ containerdSocket: missing, api: reading("bad", { httpStatus: null }) }));
    expect(node.remedies()).toEqual([]);
    node.run(T0 + sec(10), T0 + min(30), () => with_({ containerdSocket: missing, api: reading("bad", { httpStatus: null }) }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["killall-k3s"]);
    expect(node.state.phase).toBe("gave-up");
  });
});

describe("API not ready or node NotReady past its budget", () => {
  it("API not ready for 2 minutes after k3s came up: restart k3s, then killall", () => {
    const node = new FakeNode(T0);
    const apiDown = reading("bad", { httpStatus: 500 }, "readyz: [-]etcd failed");
    node.run(T0, T0 + min(1), () => with_({ api: apiDown }));
    expect(node.remedies()).toEqual([]);
    node.run(T0 + min(1) + sec(5), T0 + min(10), () => with_({ api: apiDown }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s", "killall-k3s"]);
    expect(node.remedies()[0]!.at).toBe(T0 + min(2));
  });

  it("node NotReady for 60 seconds: restart k3s", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(55), () => with_({ nodes: nodeNotReady() }));
    expect(node.remedies()).toEqual([]);
    node.run(T0 + sec(60), T0 + min(1), () => with_({ nodes: nodeNotReady() }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s"]);
    expect(node.remedies()[0]!.at).toBe(T0 + sec(60));
  });
});
