// docs/design.md §4, the safety rules, one test (or more) each, by name.
import { describe, expect, it } from "vitest";
import { FakeNode } from "./harness.js";
import { T0, healthy, k3sCycling, min, pod, reading, sec, unit, with_ } from "./builders.js";

describe("unknown never acts", () => {
  it("a k3s unit probe that cannot reach systemd never restarts k3s, and says so once", () => {
    const node = new FakeNode(T0);
    const blind = reading("unknown", null, "cannot reach systemd on the system bus: ECONNREFUSED");
    node.run(T0, T0 + min(60), () => with_({ k3sUnit: blind }));
    expect(node.remedies()).toEqual([]);
    expect(node.announcements("warning")).toEqual([expect.stringMatching(/probe k3sUnit cannot tell .* no remedy is taken/)]);
    // a healthy node with a blind probe is not declared unhealthy
    expect(node.state.phase).toBe("healthy");
  });

  it("an API probe that times out never restarts k3s", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), () => with_({ api: reading("unknown", null, "GET /readyz timed out after 5s"), nodes: reading("unknown", null), pods: reading("unknown", null) }));
    expect(node.remedies()).toEqual([]);
  });
});

describe("budgets are sliding windows stored in the journal", () => {
  it("three k3s restarts in the last hour (from before a daemon restart) leave none: gave-up, not a fourth", () => {
    const stamps = [min(50), min(30), min(10)].map((ago) => ({ kind: "restart-k3s" as const, at: T0 - ago }));
    const node = new FakeNode(T0, {}, stamps);
    node.run(T0, T0 + min(2), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies()).toEqual([]);
    expect(node.state.phase).toBe("gave-up");
    expect(node.announcements("err")[0]).toMatch(/restart-k3s budget is spent \(3 of 3 in 1h\)/);
  });

  it("frees up as the window slides: the restart from 61 minutes ago no longer counts", () => {
    const stamps = [min(61), min(30), min(10)].map((ago) => ({ kind: "restart-k3s" as const, at: T0 - ago }));
    const node = new FakeNode(T0, {}, stamps);
    node.run(T0, T0 + sec(30), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s"]);
  });

  it("configured budgets apply: at most one killall an hour across episodes", () => {
    const node = new FakeNode(T0, {}, [{ kind: "killall-k3s", at: T0 - min(20) }]);
    const missing = reading("bad", { path: "/run/k3s/containerd/containerd.sock", exists: false, accepts: false });
    node.run(T0, T0 + min(5), () => with_({ containerdSocket: missing }));
    expect(node.remedies()).toEqual([]);
    expect(node.announcements("err")[0]).toMatch(/killall-k3s budget is spent/);
  });
});

describe("a start attempt within its budget is never interrupted", () => {
  it("k3s activating (start) for 80 s is left alone; at 90 s it is stuck, and restarted", () => {
    const node = new FakeNode(T0);
    const starting = unit({ activeState: "activating", subState: "start", result: "success", inactiveExitAt: T0, activeEnterAt: null });
    node.run(T0, T0 + sec(85), () => with_({ k3sUnit: starting }));
    expect(node.remedies()).toEqual([]);
    expect(node.notes.join()).toMatch(/within the 1m30s start budget: not interrupting/);
    node.tick(T0 + sec(90), with_({ k3sUnit: starting }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s"]);
  });

  it("uptime is measured from InactiveExitTimestamp, not ActiveEnterTimestamp: an old ActiveEnter does not make a fresh start look stuck", () => {
    const node = new FakeNode(T0);
    // failing for 10 minutes, but a fresh attempt began 20 s ago: systemd is trying; let it.
    const fresh = unit({ activeState: "activating", subState: "start", result: "success", inactiveExitAt: T0 + min(10) - sec(20), activeEnterAt: T0 - min(60), restarts: 7 });
    node.tick(T0, with_({ k3sUnit: k3sCycling() }));
    node.tick(T0 + min(10), with_({ k3sUnit: fresh }));
    expect(node.remedies()).toEqual([]);
  });

  it("a unit cycling through auto-restart is failing, not starting: restarted after the hold-off", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(30), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s"]);
  });
});

describe("verification and hysteresis", () => {
  it("no next rung inside a remedy's verification window", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(2) + sec(25), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies()).toHaveLength(1);
    expect(node.notes.join()).toMatch(/verifying restart-k3s until/);
  });

  it("a flapping k3s does not reset the ladder: healthy for 30 s, down again, next rung is killall", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(30), () => with_({ k3sUnit: k3sCycling() }));
    node.run(T0 + sec(35), T0 + sec(65), () => healthy());
    node.run(T0 + sec(70), T0 + min(6), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s", "killall-k3s"]);
  });

  it("healthy must hold for a minute before it counts", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ pods: reading("bad", { pods: [] }, "3 pods not ready") }));
    expect(node.state.phase).toBe("pods-converging");
    node.run(T0 + sec(5), T0 + sec(60), () => healthy());
    expect(node.state.phase).toBe("pods-converging");
    node.tick(T0 + sec(65), healthy());
    expect(node.state.phase).toBe("healthy");
    expect(node.state.healthySince).toBe(T0 + sec(5));
  });
});

describe("gave-up", () => {
  const failing = () => with_({ k3sUnit: k3sCycling() });

  it("is said once at priority err, not every tick", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(50), failing);
    expect(node.announcements("err")).toHaveLength(1);
  });

  it("acts again after its cooldown", () => {
    const node = new FakeNode(T0, { timing: { gaveUpCooldown: "30m" }, budgets: { killallK3s: { max: 2 } } });
    node.run(T0, T0 + min(45), failing);
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s", "killall-k3s", "restart-k3s", "killall-k3s"]);
  });

  it("a manual resume re-arms the ladder", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(10), failing);
    expect(node.state.phase).toBe("gave-up");
    node.tick(T0 + min(10) + sec(5), failing(), [{ kind: "resume", reason: "fixed the disk" }]);
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s", "killall-k3s", "restart-k3s"]);
  });

  it("ends when the node heals by itself", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(10), failing);
    node.run(T0 + min(10) + sec(5), T0 + min(12), () => healthy());
    expect(node.state.phase).toBe("healthy");
    expect(node.state.gaveUp).toBeNull();
  });
});

describe("containerd metadata corruption", () => {
  const corrupt = reading("bad", { signature: "panic: assertion failed: Page expected to be: 23, but self identifies as 0", source: "containerd.log" }, "containerd.log: panic: assertion failed: Page expected to be");

  it("stops the ladder and asks for a human instead of looping", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), () => with_({ k3sUnit: k3sCycling(), k3sLog: corrupt }));
    expect(node.remedies()).toEqual([]);
    expect(node.state.gaveUp?.symptom).toBe("human-needed");
    expect(node.announcements("err")).toEqual([expect.stringMatching(/No restart can fix this.*docs\/repairs.md.*songnodes-watchdog resume/)]);
  });

  it("an old signature in the log while k3s is healthy changes nothing", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(5), () => with_({ k3sLog: corrupt }));
    expect(node.remedies()).toEqual([]);
    expect(node.state.phase).toBe("healthy");
  });
});

describe("maintenance: pause with an expiry", () => {
  it("a paused daemon acts on nothing, and acts again once the pause expires", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ k3sUnit: k3sCycling() }), [{ kind: "pause", until: T0 + min(30), reason: "upgrading k3s" }]);
    node.run(T0 + sec(5), T0 + min(29), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies()).toEqual([]);
    expect(node.state.phase).toBe("paused");
    node.run(T0 + min(30), T0 + min(30) + sec(5), () => with_({ k3sUnit: k3sCycling() }));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-k3s"]);
  });

  it("a paused daemon does not delete pods either", () => {
    const node = new FakeNode(T0);
    node.tick(T0, healthy([pod("a-b", { display: "Terminating", deletionAt: T0 - min(20) })]), [{ kind: "pause", until: T0 + min(30), reason: "drain" }]);
    expect(node.remedies()).toEqual([]);
  });
});

describe("one disruptive action at a time", () => {
  it("pod clean-up waits while a ladder remedy is taken in the same step", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(30), () => with_({ registry: reading("bad", { container: "exited", api: "down" } as const) }, [pod("a-b", { display: "Terminating", deletionAt: T0 - min(20) })]));
    const first = node.log.filter((e) => e.command.kind !== "announce");
    expect(first.map((e) => e.command.kind)).toEqual(["delete-pods"]);
    expect(new Set(first.map((e) => e.at)).size).toBe(first.length);
  });
});

describe("saying clearly what it cannot see", () => {
  it("nodes and pods that cannot be listed while the API is down are not reported as blind probes", () => {
    const node = new FakeNode(T0);
    const apiDown = reading("bad", { httpStatus: null }, "API not answering: connect ECONNREFUSED");
    node.run(T0, T0 + min(1), () => with_({ api: apiDown, nodes: reading("unknown", null, "cannot list nodes"), pods: reading("unknown", null, "cannot list pods") }));
    expect(node.announcements("warning").filter((m) => m.includes("cannot tell"))).toEqual([]);
  });
});

describe("waking when a hold-off runs out, not at the next tick", () => {
  it("a pod shown Unknown asks to be looked at again exactly when its hold-off ends", () => {
    const node = new FakeNode(T0);
    const stuck = pod("rest-api-abc", { display: "Unknown", ready: false, unknown: "containers-unknown" });
    const result = node.tick(T0 + sec(3), healthy([stuck]));
    expect(result).toEqual([]);
    const { step } = node.lastResult!;
    expect(step.wakeAt).toBe(T0 + sec(3) + sec(60));
  });

  it("a failing k3s asks to be looked at when its hold-off ends; a healthy node has nothing pending after its hold", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ k3sUnit: k3sCycling() }));
    expect(node.lastResult!.step.wakeAt).toBe(T0 + sec(30));
    const calm = new FakeNode(T0);
    calm.run(T0, T0 + min(2), () => healthy());
    expect(calm.lastResult!.step.wakeAt).toBeNull();
  });
});

describe("systemd has given up on k3s (start-limit-hit)", () => {
  it("is treated at once: no Restart= is coming, so the hold-off buys nothing", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ k3sUnit: unit({ activeState: "failed", subState: "failed", result: "start-limit-hit" }) }));
    expect(node.remedies()[0]?.command).toMatchObject({ kind: "restart-k3s", resetFailed: true });
  });
});
