// docs/design.md §3, the pod rows: Unknown, Terminating, Failed, image pulls, CrashLoopBackOff.
import { describe, expect, it } from "vitest";
import type { PodView } from "../../src/core/types.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, nodeNotReady, pod, reading, sec, with_ } from "./builders.js";

const deletions = (node: FakeNode) => node.remedies("delete-pods").flatMap((e) => (e.command.kind === "delete-pods" ? e.command.pods : []));

const refused = (name: string): PodView =>
  pod(name, {
    phase: "Pending", display: "ImagePullBackOff", ready: false,
    waiting: { container: "app", reason: "ImagePullBackOff", message: "Back-off pulling image" },
    pullFailure: { image: `localhost:5000/songnodes_${name}:latest`, cause: "registry-down", localRegistry: true, message: "dial tcp 127.0.0.1:5000: connect: connection refused" },
  });

describe("pods shown Unknown", () => {
  it("a pod whose containers terminated with reason Unknown after a k3s restart is deleted after its hold-off", () => {
    const stuck = pod("rest-api-abc", { display: "Unknown", ready: false, unknown: "containers-unknown" });
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(55), () => healthy([stuck]));
    expect(deletions(node)).toEqual([]);
    node.tick(T0 + sec(60), healthy([stuck]));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "rest-api-abc", force: false })]);
  });

  it("a NodeLost pod already Terminating is force-deleted", () => {
    const lost = pod("redis-xyz", { display: "Unknown", ready: false, unknown: "node-lost", deletionAt: T0 - sec(10), failedReason: null });
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(55), () => healthy([lost]));
    expect(deletions(node)).toEqual([]);
    node.tick(T0 + sec(60), healthy([lost]));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "redis-xyz", force: true })]);
  });

  it("a pod in phase Unknown is deleted", () => {
    const unknown = pod("frontend-abc", { phase: "Unknown", display: "Unknown", ready: false, unknown: "phase-unknown" });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(2), () => healthy([unknown]));
    expect(deletions(node).map((d) => d.name)).toEqual(["frontend-abc"]);
  });
});

describe("pods stuck Terminating", () => {
  it("a pod Terminating for 6 minutes on a Ready node is force-deleted with grace period 0", () => {
    const node = new FakeNode(T0);
    node.tick(T0, healthy([pod("websocket-api-abc", { display: "Terminating", deletionAt: T0 - min(6) })]));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "websocket-api-abc", force: true })]);
    expect(deletions(node)[0]!.why).toMatch(/Terminating for 6m/);
  });

  it("a pod Terminating for 4 minutes is left alone", () => {
    const node = new FakeNode(T0);
    node.tick(T0, healthy([pod("websocket-api-abc", { display: "Terminating", deletionAt: T0 - min(4) })]));
    expect(deletions(node)).toEqual([]);
  });

  it("is not force-deleted while the node is not Ready", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ nodes: nodeNotReady() }, [pod("websocket-api-abc", { display: "Terminating", deletionAt: T0 - min(10) })]));
    expect(deletions(node)).toEqual([]);
    expect(node.notes.join()).toMatch(/node is not Ready/);
  });
});

describe("Failed pods", () => {
  const shutdown = { phase: "Failed", display: "Terminated", ready: false, failedReason: "Terminated" } as const;

  it("a controller-owned pod failed by a node shutdown is deleted so its controller recreates it", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1), () => healthy([pod("nlp-processor-abc", shutdown)]));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "nlp-processor-abc", force: false })]);
  });

  it("a Job-owned Failed pod is never touched: its history belongs to the Job", () => {
    const node = new FakeNode(T0);
    const jobPod = pod("postgres-backup-29000000-abcde", { ...shutdown, owner: { kind: "Job", name: "postgres-backup-29000000" } });
    node.run(T0, T0 + min(30), () => healthy([jobPod]));
    expect(deletions(node)).toEqual([]);
  });

  it("a Failed pod with no controller is reported, not deleted", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(5), () => healthy([pod("debug-shell", { ...shutdown, owner: null })]));
    expect(deletions(node)).toEqual([]);
    expect(node.announcements("warning").filter((m) => m.includes("debug-shell"))).toEqual([expect.stringMatching(/debug-shell Failed .* no controller/)]);
  });
});

describe("ImagePullBackOff on localhost:5000 images", () => {
  const registryDown = reading("bad", { container: "exited", api: "down" } as const, "registry container exited");

  it("with the registry down: restart the registry, then delete the stuck pods once it answers", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(2), () => with_({ registry: registryDown }, [refused("rest-api")]));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-registry"]);
    node.run(T0 + min(2) + sec(5), T0 + min(3), () => healthy([refused("rest-api")]));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-registry", "delete-pods"]);
    expect(deletions(node)[0]).toMatchObject({ name: "rest-api", force: false });
  });

  it("with the registry up and answering manifest unknown: report the missing image, restart nothing", () => {
    const missing = pod("frontend-abc", {
      phase: "Pending", display: "ImagePullBackOff", ready: false,
      pullFailure: { image: "localhost:5000/songnodes_frontend:latest", cause: "image-missing", localRegistry: true, message: "not found" },
    });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), () => healthy([missing]));
    expect(node.remedies()).toEqual([]);
    expect(node.announcements("warning").filter((m) => m.includes("songnodes_frontend"))).toEqual([expect.stringMatching(/songnodes_frontend:latest is not in the local registry/)]);
  });

  it("a registry that its restart does not fix ends in gave-up with one restart", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(20), () => with_({ registry: registryDown }, [refused("rest-api")]));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-registry"]);
    expect(node.state.phase).toBe("gave-up");
  });
});

describe("a pod the daemon asked to delete", () => {
  it("is not asked again while it is going away, so a slow deletion causes no storm", () => {
    const stuck = pod("rest-api-abc", { display: "Unknown", ready: false, unknown: "containers-unknown" });
    const node = new FakeNode(T0);
    // Deleted at 60 s, then given terminatingForceDelete (5 min) to go before it is asked again.
    node.run(T0, T0 + sec(60) + min(5) - sec(5), () => healthy([stuck]));
    expect(deletions(node)).toHaveLength(1);
  });
});

describe("slow image pulls", () => {
  const pulling = (startedAt: number) => pod("metadata-enrichment-abc", { phase: "Pending", display: "ContainerCreating", ready: false, pulling: true, pullsLocal: true, startedAt, waiting: { container: "app", reason: "ContainerCreating", message: "" } });

  it("a pod pulling for 20 minutes gets no action, even with the registry looking down", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(20), () => with_({ registry: reading("bad", { container: "exited", api: "down" } as const) }, [pulling(T0)]));
    expect(node.remedies()).toEqual([]);
  });

  it("past 30 minutes with the registry down, the registry is restarted", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(31), () => with_({ registry: reading("bad", { container: "exited", api: "down" } as const) }, [pulling(T0)]));
    expect(node.remedies().map((e) => e.command.kind)).toEqual(["restart-registry"]);
    expect(node.remedies()[0]!.at).toBe(T0 + min(30));
  });
});

describe("CrashLoopBackOff", () => {
  it("is reported once per workload and nothing is done: the watchdog does not fix application bugs", () => {
    const crashing = pod("scraper-orchestrator-abc", { display: "CrashLoopBackOff", ready: false, restarts: 12, waiting: { container: "app", reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container" } });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), () => healthy([crashing]));
    expect(node.remedies()).toEqual([]);
    expect(node.announcements("warning").filter((m) => m.includes("CrashLoopBackOff"))).toHaveLength(1);
  });
});
