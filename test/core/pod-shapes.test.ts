// Pod shapes from real clusters, as literal API objects through the real pod view, judged by step().
import { describe, expect, it } from "vitest";
import type { Readings } from "../../src/core/observe.js";
import type { PodView } from "../../src/core/types.js";
import { podView } from "../../src/kube/pod-view.js";
import * as field from "../kube/fixtures/field-pods.js";
import * as pods from "../kube/fixtures/pods.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, reading, sec, unit, with_ } from "./builders.js";

const view = (pod: Parameters<typeof podView>[0]): PodView => podView(pod, { localRegistryPrefix: "localhost:5000/" });
const registryDown = reading("bad", { container: "exited", api: "down" } as const, "the local registry is down");
const downWith = (list: PodView[]): Readings => with_({ registry: registryDown }, list);
const deletions = (node: FakeNode) => node.remedies("delete-pods").flatMap((e) => (e.command.kind === "delete-pods" ? e.command.pods : []));
const kinds = (node: FakeNode) => node.remedies().map((e) => e.command.kind);

describe("a pod whose images are not from the local registry is never evidence that it is down", () => {
  it.each([
    ["klipper-lb stuck in ContainerCreating without a CNI", field.klipperLbNoCni],
    ["an image on another registry port", field.otherRegistryPort],
  ])("%s, for hours, with the registry down: no registry restart, said once", (_, pod) => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(90), () => downWith([view(pods.running), view(pod)]), sec(30));
    expect(kinds(node)).toEqual([]);
    const said = node.announcements().filter((m) => m.includes("not from the local registry"));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/ContainerCreating for .*, on images not from the local registry: nothing is restarted for this$/);
  });

  it("a pod pulling a local image that long with the registry down still gets the registry restarted", () => {
    const node = new FakeNode(T0);
    // k3s has been up since before the pod began pulling (its fixture's startTime).
    const upLongAgo = unit({ activeEnterAt: Date.parse("2025-11-13T07:00:00Z") });
    node.run(T0, T0 + min(5), () => with_({ registry: registryDown, k3sUnit: upLongAgo }, [view(pods.creating)]), sec(30));
    expect(kinds(node)).toEqual(["restart-registry"]);
  });
});

describe("a Job's pod stuck pulling from the local registry while it is down", () => {
  it("is evidence: the registry is restarted after the pull hold-off, and the pod itself is never deleted", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1) + sec(55), () => downWith([view(pods.running), view(field.cronJobPullRefused)]));
    expect(kinds(node)).toEqual([]);
    node.run(T0 + min(2), T0 + min(10), () => downWith([view(pods.running), view(field.cronJobPullRefused)]));
    expect(kinds(node)).toEqual(["restart-registry"]);
    expect(node.remedies()[0]!.at).toBe(T0 + min(2));
  });

  it("with the registry answering, it is left to its Job's back-off: no deletion", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(10), () => healthy([view(pods.running), view(field.cronJobPullRefused)]));
    expect(kinds(node)).toEqual([]);
  });
});

describe("a Job's pod stuck Terminating", () => {
  const jobTerminating = (): PodView => ({ ...view(pods.jobCompleted), deletionAt: T0 - min(1), display: "Completed" });

  it("is force-deleted after 5 minutes like any other pod: deletion was already asked for", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(3) + sec(55), () => healthy([view(pods.running), jobTerminating()]));
    expect(deletions(node)).toEqual([]);
    node.tick(T0 + min(4), healthy([view(pods.running), jobTerminating()]));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "postgres-backup-29391840-k8s7d", force: true })]);
  });

  it("kept by the job-tracking finalizer after its force delete: reported once with the finalizer and the command, never deleted again", () => {
    const stuck = view(field.jobTrackingFinalizer);
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), () => healthy([view(pods.running), stuck]), sec(10));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "gold-to-operational-29391837-h2k9d", force: true })]);
    expect(node.remedies()).toHaveLength(1);
    const said = node.announcements("warning").filter((m) => m.includes("finalizer"));
    expect(said).toEqual([
      expect.stringMatching(/^pod songnodes\/gold-to-operational-29391837-h2k9d is still there after its force delete \(Terminating for .*\): finalizer batch\.kubernetes\.io\/job-tracking keeps it/),
    ]);
    expect(said[0]).toContain(`kubectl -n songnodes patch pod gold-to-operational-29391837-h2k9d --type=merge -p '{"metadata":{"finalizers":null}}'`);
  });
});

describe("the Kubernetes 1.22 graceful-node-shutdown regression", () => {
  it.each([
    ["Terminated", field.runningShutdownTerminated],
    ["Shutdown", field.runningShutdown],
  ])("a pod in phase Running with reason %s, not Ready, is deleted like a pod a node shutdown failed", (reason, pod) => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(55), () => healthy([view(pods.running), view(pod)]));
    expect(deletions(node)).toEqual([]);
    node.tick(T0 + min(1), healthy([view(pods.running), view(pod)]));
    expect(deletions(node)).toEqual([expect.objectContaining({ force: false, why: expect.stringContaining(`left Running by a failed node shutdown (${reason})`) })]);
  });
});

describe("image and config errors are reported only", () => {
  it.each([
    ["pull access denied, repository does not exist", field.pullAccessDenied],
    ["ErrImageNeverPull", field.neverPull],
  ])("%s with the registry down: no registry restart and no deletion, said once", (_, pod) => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(30), () => downWith([view(pods.running), view(pod)]), sec(15));
    expect(kinds(node)).toEqual([]);
    expect(node.announcements().filter((m) => m.includes("an image or pod config error, not the registry"))).toHaveLength(1);
  });

  it("pull access denied with the registry answering: the pod is not deleted in a loop", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(30), () => healthy([view(pods.running), view(field.pullAccessDenied)]), sec(15));
    expect(kinds(node)).toEqual([]);
  });
});

describe("NodeLost pods: deleted after the hold-off, as docs/decisions.md says", () => {
  it("a NodeLost pod not yet deleted is deleted (not forced) after the Unknown hold-off", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + sec(55), () => healthy([view(pods.running), view(field.nodeLostNotDeleted)]));
    expect(deletions(node)).toEqual([]);
    node.tick(T0 + sec(60), healthy([view(pods.running), view(field.nodeLostNotDeleted)]));
    expect(deletions(node)).toEqual([expect.objectContaining({ name: "redis-6b8f9c7d5-lost1", force: false })]);
  });
});
