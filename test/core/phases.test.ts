// docs/design.md §2, the boot state machine: the first bad layer names the phase.
import { describe, expect, it } from "vitest";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, reading, sec, unit, with_ } from "./builders.js";

describe("boot phases", () => {
  it("walks k3s → containerd → API → nodes → pods → healthy as each layer comes up", () => {
    const node = new FakeNode(T0);
    const noSocket = reading("bad", { path: "/run/k3s/containerd/containerd.sock", exists: false, accepts: false });
    const apiDown = reading("bad", { httpStatus: null });
    const steps = [
      [with_({ k3sUnit: unit({ activeState: "activating", subState: "start", inactiveExitAt: T0, activeEnterAt: null }), containerdSocket: noSocket, api: apiDown }), "waiting-for-k3s"],
      [with_({ k3sUnit: unit({ activeEnterAt: T0 + sec(10) }), containerdSocket: noSocket, api: apiDown }), "waiting-for-containerd"],
      [with_({ k3sUnit: unit({ activeEnterAt: T0 + sec(10) }), api: apiDown }), "waiting-for-api"],
      [with_({ k3sUnit: unit({ activeEnterAt: T0 + sec(10) }), nodes: reading("bad", { nodes: [] }, "no nodes registered") }), "waiting-for-nodes"],
      [with_({ k3sUnit: unit({ activeEnterAt: T0 + sec(10) }), pods: reading("bad", { pods: [] }, "12 of 14 pods not ready") }), "pods-converging"],
    ] as const;
    steps.forEach(([readings, phase], i) => {
      node.tick(T0 + sec(5 * i), readings);
      expect(node.state.phase).toBe(phase);
    });
    node.run(T0 + sec(30), T0 + min(2), () => healthy());
    expect(node.state.phase).toBe("healthy");
    expect(node.remedies()).toEqual([]);
  });

  it("phaseSince changes only when the phase does", () => {
    const node = new FakeNode(T0);
    node.tick(T0, healthy());
    const since = node.state.phaseSince;
    node.tick(T0 + sec(5), healthy());
    expect(node.state.phaseSince).toBe(since);
  });

  it("pods not converged in 5 minutes are reported once, with no remedy of their own", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(20), () => with_({ pods: reading("bad", { pods: [] }, "2 of 14 pods not ready: metadata-enrichment ContainerCreating") }));
    expect(node.announcements("warning")).toEqual([expect.stringMatching(/pods have not converged in 5m .* metadata-enrichment/)]);
    expect(node.remedies()).toEqual([]);
  });
});
