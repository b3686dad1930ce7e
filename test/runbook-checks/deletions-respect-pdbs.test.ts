// Runbook §4: PodDisruptionBudgets keep postgres, rabbitmq, redis, rest-api, graph-visualization and
// metadata-enrichment at one available pod. The daemon's own deletions never lower a PDB's
// currentHealthy (pods Ready and not being deleted, as the disruption controller counts them)
// except to replace a pod that cannot run: shown Unknown, Failed, or stuck Terminating.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { stampObservations } from "../../src/core/observe.js";
import { triagePods } from "../../src/core/pod-triage.js";
import { podView } from "../../src/kube/pod-view.js";
import type { PodJson } from "../../src/kube/pod-json.js";
import { healthy } from "../core/builders.js";
import * as fixtures from "../kube/fixtures/pods.js";

/** The disruption controller's count: a pod is healthy when Ready=True and not being deleted. */
function countsAsHealthy(pod: PodJson): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  return (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

const phaseUnknown = { ...fixtures.running, metadata: { ...fixtures.running.metadata, name: "redis-6b8f9c7d5-unkn1", uid: "uid-unkn1" }, status: { ...fixtures.running.status, phase: "Unknown" } };
const NOW = Date.parse("2025-11-13T10:00:00Z");
const config = parseConfig({});

/** What the daemon does to `pod` on a Ready node with a working registry, every hold-off long over. */
function decide(pod: PodJson): { deleted: boolean; force: boolean } {
  const view = podView(pod, { localRegistryPrefix: "localhost:5000/" });
  const readings = healthy([view]);
  const observations = stampObservations(null, readings, NOW - 60 * 60_000);
  const triage = triagePods(config, observations, {}, NOW, NOW - 60 * 60_000);
  const deletion = triage.deletions.find((d) => d.uid === view.uid);
  return { deleted: deletion !== undefined, force: deletion?.force ?? false };
}

describe("the daemon's deletions and PodDisruptionBudgets", () => {
  it.each([
    // pod, deleted, counted healthy by the PDB before the deletion, why a deletion is allowed
    ["Running and ready", fixtures.running, false, true, null],
    ["CrashLoopBackOff", fixtures.crashLoop, false, false, null],
    ["Init:0/1 waiting for postgres", fixtures.initWaiting, false, false, null],
    ["ContainerCreating (pulling)", fixtures.creating, false, false, null],
    ["ErrImagePull, image not in the registry", fixtures.pullNotFound, false, false, null],
    ["ImagePullBackOff, connection refused, registry answering", fixtures.pullBackOffRefused, true, false, "cannot run: its image cannot be pulled"],
    ["containers terminated Unknown after a k3s restart", fixtures.containersUnknown, true, false, "cannot run: Unknown"],
    ["NodeLost, already Terminating", fixtures.nodeLost, true, false, "cannot run: Unknown and Terminating"],
    ["phase Unknown with a stale Ready=True", phaseUnknown, true, true, "cannot run: Unknown"],
    ["Failed by a node shutdown", fixtures.shutdownFailed, true, false, "cannot run: Failed"],
    ["Terminating for an hour", fixtures.terminating, true, false, "cannot run: stuck Terminating"],
    ["a CronJob's Completed pod", fixtures.jobCompleted, false, false, null],
  ])("%s: deleted %s, counted healthy %s", (_what, pod, deleted, healthyBefore, exception) => {
    const decision = decide(pod as PodJson);
    expect(decision.deleted).toBe(deleted);
    expect(countsAsHealthy(pod as PodJson)).toBe(healthyBefore);
    // The rule itself: a deletion that lowers currentHealthy must be a pod that cannot run.
    if (decision.deleted && healthyBefore) expect(exception).toMatch(/^cannot run: Unknown/);
    if (decision.deleted) expect(exception).not.toBeNull();
  });

  it("a PDB-protected workload at its minimum (one Ready pod) loses nothing to the daemon", () => {
    for (const name of ["postgres-0", "rabbitmq-0", "redis-6b8f9c7d5-x2k4p"]) {
      const pod = { ...fixtures.running, metadata: { ...fixtures.running.metadata, name, uid: `uid-${name}` } };
      expect(decide(pod as PodJson)).toEqual({ deleted: false, force: false });
    }
  });
});
