// Real pod shapes through the pod view and the pods probe's verdict: what each one must read as.
import { describe, expect, it } from "vitest";
import { podView } from "../../src/kube/pod-view.js";
import { pullCause } from "../../src/kube/pull-cause.js";
import { interpretPods } from "../../src/probes/pods.js";
import * as field from "./fixtures/field-pods.js";
import * as pods from "./fixtures/pods.js";

const view = (pod: Parameters<typeof podView>[0]) => podView(pod, { localRegistryPrefix: "localhost:5000/" });

describe("pod shapes from real clusters", () => {
  it("klipper-lb stuck in ContainerCreating without a CNI is being created, but not from the local registry", () => {
    expect(view(field.klipperLbNoCni)).toMatchObject({ display: "ContainerCreating", pulling: true, pullsLocal: false, owner: { kind: "DaemonSet" } });
  });

  it("an image on another registry port is not the local registry's", () => {
    expect(view(field.otherRegistryPort)).toMatchObject({ pulling: true, pullsLocal: false });
    expect(view(pods.creating)).toMatchObject({ pulling: true, pullsLocal: true });
  });

  it("a CronJob's pod refused by the local registry is a registry-down pull failure on a local image", () => {
    expect(view(field.cronJobPullRefused)).toMatchObject({
      owner: { kind: "Job" }, pullFailure: { cause: "registry-down", localRegistry: true, image: "localhost:5000/songnodes_postgres-backup:latest" },
    });
  });

  it("a Job pod kept by the job-tracking finalizer is Completed, being deleted, with its finalizer", () => {
    expect(view(field.jobTrackingFinalizer)).toMatchObject({
      phase: "Succeeded", display: "Completed", deletionAt: Date.parse("2025-11-10T08:17:30Z"), finalizers: ["batch.kubernetes.io/job-tracking"],
    });
  });

  it.each([
    ["Terminated", field.runningShutdownTerminated],
    ["Shutdown", field.runningShutdown],
  ])("phase Running with reason %s and not Ready is a pod a node shutdown failed", (reason, pod) => {
    expect(view(pod)).toMatchObject({ phase: "Running", ready: false, failedReason: reason, unknown: null });
  });

  it("a Running, ready pod is not taken for a failed shutdown by a stray reason", () => {
    expect(view({ ...pods.running, status: { ...pods.running.status, reason: "Terminated" } }).failedReason).toBeNull();
  });

  it("pull access denied is an image or config error, never the registry being down", () => {
    expect(view(field.pullAccessDenied).pullFailure).toMatchObject({ cause: "image-config", localRegistry: true });
  });

  it("ErrImageNeverPull is an image or config error, from the waiting reason", () => {
    expect(view(field.neverPull)).toMatchObject({ display: "ErrImageNeverPull", pullFailure: { cause: "image-config", localRegistry: true } });
    expect(pullCause("", "InvalidImageName")).toBe("image-config");
    expect(pullCause("failed to pull: invalid reference format")).toBe("image-config");
  });

  it("NodeLost is the NodeLost kind of Unknown before any deletion too", () => {
    expect(view(field.nodeLostNotDeleted)).toMatchObject({ display: "NodeLost", unknown: "node-lost", deletionAt: null });
    expect(view(pods.nodeLost)).toMatchObject({ display: "Unknown", unknown: "node-lost" });
  });
});

describe("the pods probe's verdict on them", () => {
  it("a Job pod stuck Terminating is counted and not ready; a finished one is left to its Job", () => {
    const reading = interpretPods([view(pods.running), view(pods.jobCompleted), view(field.jobTrackingFinalizer)], "songnodes");
    expect(reading).toMatchObject({ status: "bad", reason: "1 of 2 pods not ready: gold-to-operational-29391837-h2k9d Completed (being deleted)" });
  });

  it("the 1.22 shutdown regression is named with its reason", () => {
    expect(interpretPods([view(field.runningShutdownTerminated)], "songnodes").reason).toBe("1 of 1 pods not ready: nlp-processor-7b6a5c4d3-qazws Error (Terminated)");
  });

  it("pull access denied is named as a config error", () => {
    expect(interpretPods([view(field.pullAccessDenied)], "songnodes").reason).toContain("(image or pod config error on localhost:5000/songnodes/frontend:latest)");
  });
});
