import { describe, expect, it } from "vitest";
import { nodeView } from "../../src/kube/node-view.js";
import { podView } from "../../src/kube/pod-view.js";
import { pullCause } from "../../src/kube/pull-cause.js";
import * as pods from "./fixtures/pods.js";

const opts = { localRegistryPrefix: "localhost:5000/" };

describe("podView: kubectl's STATUS column and the facts the ladder needs", () => {
  const cases: { name: string; pod: Parameters<typeof podView>[0]; expected: Partial<ReturnType<typeof podView>> }[] = [
    { name: "a healthy Deployment pod is Running and ready", pod: pods.running,
      expected: { display: "Running", phase: "Running", ready: true, unknown: null, waiting: null, pullFailure: null, pulling: false, restarts: 2, owner: { kind: "ReplicaSet", name: "redis-6b8f9c7d5" } } },
    { name: "ImagePullBackOff is phase Pending and shown ImagePullBackOff", pod: pods.pullBackOffRefused,
      expected: { display: "ImagePullBackOff", phase: "Pending", ready: false, pulling: false } },
    { name: "CrashLoopBackOff is phase Running and shown CrashLoopBackOff", pod: pods.crashLoop,
      expected: { display: "CrashLoopBackOff", phase: "Running", restarts: 7, unknown: null, pullFailure: null } },
    { name: "containers terminated with reason Unknown after a k3s restart are the single-node Unknown", pod: pods.containersUnknown,
      expected: { display: "Unknown", phase: "Running", unknown: "containers-unknown", owner: { kind: "StatefulSet", name: "rabbitmq" } } },
    { name: "NodeLost with a deletionTimestamp is shown Unknown, not Terminating", pod: pods.nodeLost,
      expected: { display: "Unknown", unknown: "node-lost", deletionAt: Date.parse("2025-11-13T09:05:00Z") } },
    { name: "a pod failed by node shutdown carries reason Terminated", pod: pods.shutdownFailed,
      expected: { display: "Error", phase: "Failed", failedReason: "Terminated", unknown: null } },
    { name: "an init container waiting for postgres is Init:0/1 and not pulling", pod: pods.initWaiting,
      expected: { display: "Init:0/1", pulling: false, waiting: { container: "rest-api", reason: "PodInitializing", message: "" } } },
    { name: "a pod being deleted is Terminating", pod: pods.terminating,
      expected: { display: "Terminating", deletionAt: Date.parse("2025-11-13T09:00:00Z"), unknown: null } },
    { name: "a finished Job pod is Completed and owned by its Job", pod: pods.jobCompleted,
      expected: { display: "Completed", phase: "Succeeded", owner: { kind: "Job", name: "postgres-backup-29391840" } } },
    { name: "a large image being pulled is ContainerCreating and pulling", pod: pods.creating,
      expected: { display: "ContainerCreating", pulling: true, pullFailure: null } },
  ];
  for (const c of cases) {
    it(c.name, () => expect(podView(c.pod, opts)).toMatchObject(c.expected));
  }

  it("a refused connection to localhost:5000 is a registry-down pull failure on a local image", () => {
    expect(podView(pods.pullBackOffRefused, opts).pullFailure).toEqual({
      image: "localhost:5000/songnodes_rest-api:latest", cause: "registry-down", localRegistry: true,
      message: expect.stringContaining("connect: connection refused"),
    });
  });

  it("containerd's NotFound is an image-missing pull failure", () => {
    expect(podView(pods.pullNotFound, opts)).toMatchObject({ display: "ErrImagePull", pullFailure: { cause: "image-missing", localRegistry: true } });
  });

  it("phase Unknown is the phase-unknown kind", () => {
    const pod = { ...pods.running, status: { ...pods.running.status, phase: "Unknown" } };
    expect(podView(pod, opts)).toMatchObject({ display: "Unknown", unknown: "phase-unknown" });
  });

  it("a container waiting without a reason whose last state is terminated Unknown still counts as Unknown", () => {
    const status = { ...pods.containersUnknown.status.containerStatuses[0]!, state: { waiting: {} }, lastState: pods.containersUnknown.status.containerStatuses[0]!.state };
    const pod = { ...pods.containersUnknown, status: { ...pods.containersUnknown.status, containerStatuses: [status] } };
    expect(podView(pod, opts).unknown).toBe("containers-unknown");
  });

  it("timestamps become ms since the epoch, whether strings or client-node Dates", () => {
    const fromString = podView(pods.running, opts);
    const fromDate = podView({ ...pods.running, metadata: { ...pods.running.metadata, creationTimestamp: new Date("2025-11-13T08:00:00Z") } }, opts);
    expect(fromString.createdAt).toBe(Date.parse("2025-11-13T08:00:00Z"));
    expect(fromDate.createdAt).toBe(fromString.createdAt);
  });

  it("an empty object yields a view instead of throwing", () => {
    expect(podView({}, opts)).toMatchObject({ name: "", phase: "Unknown", ready: false, restarts: 0 });
  });

  it("terminated without a reason shows Signal:N or ExitCode:N like kubectl", () => {
    const cs = (terminated: object) => ({ ...pods.running, status: { ...pods.running.status, containerStatuses: [{ name: "app", ready: false, state: { terminated } }] } });
    expect(podView(cs({ exitCode: 137, signal: 9 }), opts).display).toBe("Signal:9");
    expect(podView(cs({ exitCode: 3 }), opts).display).toBe("ExitCode:3");
  });
});

describe("pullCause: containerd's words", () => {
  it.each([
    ["dial tcp [::1]:5000: connect: connection refused", "registry-down"],
    ["dial tcp: lookup registry.local: no such host", "registry-down"],
    ["dial tcp 127.0.0.1:5000: i/o timeout", "registry-down"],
    ['unexpected status from HEAD request: 404 Not Found: MANIFEST_UNKNOWN', "image-missing"],
    ["NAME_UNKNOWN: repository name not known to registry", "image-missing"],
    ['Back-off pulling image "localhost:5000/songnodes_rest-api:latest"', "other"],
  ])("%s → %s", (message, cause) => expect(pullCause(message)).toBe(cause));
});

describe("nodeView", () => {
  it("Ready=Unknown carries kubelet's silence", () => {
    const node = { metadata: { name: "songnodes-node" }, status: { conditions: [
      { type: "MemoryPressure", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: "2025-11-13T09:00:00Z" },
      { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: "2025-11-13T09:00:40Z", lastHeartbeatTime: "2025-11-13T08:59:00Z" },
    ] } };
    expect(nodeView(node)).toEqual({ name: "songnodes-node", ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", since: Date.parse("2025-11-13T09:00:40Z") });
  });

  it("a node with no conditions yet is Unknown", () => {
    expect(nodeView({ metadata: { name: "n" } })).toMatchObject({ ready: "Unknown", reason: "NoReadyCondition", since: null });
  });
});
