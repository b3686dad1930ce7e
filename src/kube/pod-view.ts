// A Pod as the daemon decides on it: kubectl's STATUS plus the facts the ladder needs (which kind of
// Unknown, which pull failure, who owns it). Pure: never throws on a partial or odd object.
import type { PodView, UnknownKind } from "../core/types.js";
import { NODE_LOST, podDisplay } from "./pod-display.js";
import { type ContainerStatusJson, type PodJson, toEpochMs } from "./pod-json.js";
import { PULL_FAILURE_REASONS, pullCause } from "./pull-cause.js";

export interface PodViewOptions {
  /** Images starting with this come from the local registry ("localhost:5000/"). */
  localRegistryPrefix: string;
}

// Waiting reasons of a container that is still being created, usually while its image is pulled.
const CREATING = new Set(["ContainerCreating", "PodInitializing"]);

/** Derive the daemon's view of one pod from the API object. */
export function podView(pod: PodJson, options: PodViewOptions): PodView {
  const meta = pod.metadata ?? {};
  const status = pod.status ?? {};
  const phase = status.phase ?? "Unknown";
  const init = status.initContainerStatuses ?? [];
  const main = status.containerStatuses ?? [];
  const all = [...init, ...main];
  const owner = (meta.ownerReferences ?? []).find((ref) => ref.controller === true) ?? null;

  const waitingStatus = all.find((c) => Boolean(c.state?.waiting?.reason)) ?? null;
  const waiting = waitingStatus
    ? { container: waitingStatus.name, reason: waitingStatus.state!.waiting!.reason!, message: waitingStatus.state!.waiting!.message ?? "" }
    : null;

  const pullStatus = all.find((c) => PULL_FAILURE_REASONS.has(c.state?.waiting?.reason ?? "")) ?? null;
  const pullFailure = pullStatus ? describePullFailure(pod, pullStatus, options) : null;
  const creating = containersBeingCreated(pod, init, main);
  const ready = main.length > 0 && main.length >= (pod.spec?.containers?.length ?? 0) && main.every((c) => c.ready === true);

  return {
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    uid: meta.uid ?? "",
    phase,
    display: podDisplay(pod),
    ready,
    owner: owner ? { kind: owner.kind, name: owner.name } : null,
    nodeName: pod.spec?.nodeName ?? null,
    createdAt: toEpochMs(meta.creationTimestamp),
    startedAt: toEpochMs(status.startTime),
    deletionAt: toEpochMs(meta.deletionTimestamp),
    unknown: unknownKind(pod),
    waiting,
    pullFailure,
    pulling: creating.length > 0,
    pullsLocal: creating.some((c) => isLocal(imageOf(pod, c), options)),
    failedReason: failedReason(phase, status.reason, ready),
    finalizers: [...(meta.finalizers ?? [])],
    restarts: all.reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
  };
}

/** Why kubectl would show this pod Unknown, if it would (docs/design.md §3). */
function unknownKind(pod: PodJson): UnknownKind | null {
  const status = pod.status ?? {};
  if (status.phase === "Unknown") return "phase-unknown";
  // The node controller's NodeLost: kubectl shows it Unknown once deleted and NodeLost before; both
  // are pods no kubelet will restart, so both count, deletion timestamp or not.
  if (status.reason === NODE_LOST) return "node-lost";
  // On a single k3s node a restart leaves pods Running/Pending whose containers kubelet reports as
  // terminated with reason Unknown (exit code 255) until it restarts them; no NodeLost involved.
  const containers = status.containerStatuses ?? [];
  if ((status.phase === "Running" || status.phase === "Pending") && containers.length > 0) {
    if (containers.every(terminatedUnknown)) return "containers-unknown";
  }
  return null;
}

function terminatedUnknown(container: ContainerStatusJson): boolean {
  const state = container.state ?? {};
  if (state.terminated) return state.terminated.reason === "Unknown";
  // Kubelet may already show the replacement as waiting without a reason; the old one is in lastState.
  if (state.waiting && !state.waiting.reason) return container.lastState?.terminated?.reason === "Unknown";
  return false;
}

/**
 * The containers still being created. While an init container has not finished only it counts:
 * main containers wait with PodInitializing then, and waiting for an init container (postgres) is not pulling.
 */
function containersBeingCreated(pod: PodJson, init: ContainerStatusJson[], main: ContainerStatusJson[]): ContainerStatusJson[] {
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  const done = (c: ContainerStatusJson) => c.state?.terminated?.exitCode === 0 || (sidecars.has(c.name) && c.started === true);
  const pendingInit = init.find((c) => !done(c));
  const stage = pendingInit ? [pendingInit] : main;
  if (stage.every((c) => c.started === true)) return [];
  return stage.filter((c) => CREATING.has(c.state?.waiting?.reason ?? ""));
}

/**
 * status.reason of a Failed pod; also of a pod still in phase Running that a node shutdown failed
 * (reason Terminated or Shutdown, not Ready): the Kubernetes 1.22 graceful-node-shutdown regression
 * left such pods Running, and they are the same pods a node shutdown failed.
 */
function failedReason(phase: string, reason: string | undefined, ready: boolean): string | null {
  if (phase === "Failed") return reason ?? null;
  if (phase === "Running" && !ready && (reason === "Terminated" || reason === "Shutdown")) return reason;
  return null;
}

/** The image as the spec names it; the status may hold a resolved name or nothing yet. */
function imageOf(pod: PodJson, container: ContainerStatusJson): string {
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return specs.find((c) => c.name === container.name)?.image ?? container.image ?? "";
}

function isLocal(image: string, options: PodViewOptions): boolean {
  return options.localRegistryPrefix !== "" && image.startsWith(options.localRegistryPrefix);
}

function describePullFailure(pod: PodJson, container: ContainerStatusJson, options: PodViewOptions): NonNullable<PodView["pullFailure"]> {
  const image = imageOf(pod, container);
  const waiting = container.state?.waiting;
  const message = waiting?.message ?? "";
  return { image, cause: pullCause(message, waiting?.reason), localRegistry: isLocal(image, options), message };
}
