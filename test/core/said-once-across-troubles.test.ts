// What the soak found said twice in one episode, stage by stage: a gave-up under its symptom's
// family (giveUp), "pods have not converged" kept while the pods are not ready (judgeHealth), a slow
// pull aged no older than the k3s that runs it and kept between two pull attempts (triagePods); and a
// force delete remembered as such, so a finalizer is reported and never deleted in a loop (triagePods, cleanUpPods).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { gaveUpKey } from "../../src/core/give-up.js";
import { unsettledKeys } from "../../src/core/judge-health.js";
import { stampObservations } from "../../src/core/observe.js";
import { cleanUpPods } from "../../src/core/clean-up-pods.js";
import { forcedKey, triagePods } from "../../src/core/pod-triage.js";
import type { Symptom } from "../../src/core/types.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, pod, reading, sec, unit, with_ } from "./builders.js";

const policy = parseConfig({});

describe("a gave-up is said under its symptom's family", () => {
  it.each<[Symptom, string]>([
    ["k3s-down", "gave-up:k3s"],
    ["k3s-flapping", "gave-up:k3s"],
    ["containerd-socket-missing", "gave-up:k3s"],
    ["api-not-ready", "gave-up:k3s"],
    ["node-not-ready", "gave-up:k3s"],
    ["registry-down", "gave-up:registry"],
  ])("%s → %s", (symptom, key) => expect(gaveUpKey(symptom)).toBe(key));

  it("k3s down, then after the cooldown its API never ready: the second give-up is not said", () => {
    const node = new FakeNode(T0);
    // k3s stays down past the whole ladder: gave up on k3s-down.
    const down = () => with_({ k3sUnit: unit({ activeState: "failed", subState: "failed", result: "start-limit-hit" }), api: reading("bad", { httpStatus: null }), nodes: reading("unknown", null), pods: reading("unknown", null) });
    node.run(T0, T0 + min(30), down, sec(5));
    // After the hour's cooldown k3s starts, and its API answers 500 for good.
    const apiBad = () => with_({ k3sUnit: unit({ activeEnterAt: T0 + min(65) }), api: reading("bad", { httpStatus: 500 }), nodes: reading("unknown", null), pods: reading("unknown", null) });
    node.run(T0 + min(65), T0 + min(130), apiBad, sec(5));
    const errs = node.announcements().filter((m) => m.startsWith("gave up"));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^gave up on k3s-down: /);
  });
});

describe("pods not converged stays one condition while the pods are not ready", () => {
  it.each([
    ["pods ready", "ok", []],
    ["pods not ready, hidden behind the node's trouble", "bad", ["pods-slow"]],
    ["pod list unreadable", "unknown", ["pods-slow"]],
  ] as const)("%s: %j", (_title, status, keys) => {
    const obs = stampObservations(null, with_({ pods: reading(status, status === "unknown" ? null : { pods: [] }) }), T0);
    expect(unsettledKeys(obs)).toEqual(keys);
  });
});

describe("a slow pull is no older than the k3s that runs it", () => {
  const pulling = pod("rest-api-abc", { phase: "Pending", display: "ContainerCreating", ready: false, pulling: true, pullsLocal: true, startedAt: T0 - min(40), createdAt: T0 - min(40) });
  const triage = (k3sUpAt: number | null, pods = [pulling]) =>
    triagePods(policy, stampObservations(null, healthy(pods), T0), { [`${pulling.uid}:pulling`]: T0 - min(40) }, T0, T0, T0, k3sUpAt);
  it.each([
    ["k3s up for hours: the pod's start dates the pull, 40 minutes: said", T0 - min(180), 1],
    ["k3s unknown: the pod's start dates the pull: said", null, 1],
    ["k3s started 2 minutes ago (a killall recreated the containers): the pull is 2 minutes old, nothing said", T0 - min(2), 0],
    ["k3s started 31 minutes ago: the pull is 31 minutes old: said", T0 - min(31), 1],
  ])("%s", (_title, k3sUpAt, said) => {
    expect(triage(k3sUpAt).announcements.filter((a) => a.key === `slow-pull:${pulling.uid}`)).toHaveLength(said);
  });

  it("between two pull attempts (ErrImagePull, back-off) the slow pull said of that pod is not over", () => {
    const backOff = { ...pulling, display: "ImagePullBackOff", pulling: false, pullFailure: { image: "localhost:5000/songnodes_rest-api:latest", cause: "image-missing" as const, localRegistry: true, message: "manifest unknown" } };
    const out = triage(T0 - min(180), [backOff]);
    expect(out.ongoing).toEqual([`slow-pull:${pulling.uid}`]);
    expect(triage(T0 - min(180)).ongoing).toEqual([]);
  });
});

describe("a force-deleted pod held by a finalizer is reported, never deleted again", () => {
  // The deletion's stamp is a wall time; after a step of the wall clock it can read later than the core's own time.
  const held = pod("scraper-abc", { phase: "Running", display: "Terminating", ready: false, deletionAt: T0 + min(30), finalizers: ["example.test/held"], unknown: "containers-unknown" });
  const triage = (previous: Record<string, number>) => triagePods(policy, stampObservations(null, healthy([held]), T0), previous, T0 + min(3), T0, T0 + min(3));
  it.each([
    ["force-deleted 2 minutes ago and still there: the finalizer is said, nothing deleted", { [`${held.uid}:deleted`]: T0 + min(1), [`${held.uid}:forced`]: T0 + min(1) }, 0, 1],
    ["asked (not forced) 2 minutes ago, its stamp from after a clock step: force-deleted once now", { [`${held.uid}:deleted`]: T0 + min(1), [`${held.uid}:unknown-terminating`]: T0 - min(5) }, 1, 0],
  ])("%s", (_title, previous, deletions, finalizerSaid) => {
    const out = triage(previous);
    expect(out.deletions).toHaveLength(deletions);
    expect(out.announcements.filter((a) => a.key === `finalizer:${held.uid}`)).toHaveLength(finalizerSaid);
  });

  it("a force delete is remembered as such by the clean-up stage", () => {
    const out = cleanUpPods(policy, { triage: { ...triage({ [`${held.uid}:unknown-terminating`]: T0 - min(5) }) }, actions: [], heldBack: null, ladderActed: false }, T0 + min(3));
    expect(out.remedy?.kind).toBe("delete-pods");
    expect(out.firstSeen[forcedKey(held.uid)]).toBe(T0 + min(3));
  });
});

describe("a pod's condition hidden by a reboot is not over", () => {
  it("an image missing from the registry, its pod Unknown then ContainerCreating for minutes after a reboot, is not said again", () => {
    const image = "localhost:5000/songnodes_rest-api:latest";
    const missing = pod("rest-api-abc", { phase: "Pending", display: "ImagePullBackOff", ready: false, pullFailure: { image, cause: "image-missing", localRegistry: true, message: "manifest unknown" } });
    const unknownAfterReboot = pod("rest-api-abc", { phase: "Running", display: "Unknown", ready: false });
    const creating = pod("rest-api-abc", { phase: "Pending", display: "ContainerCreating", ready: false });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(5), () => healthy([missing]));
    // The node rebooted: the pod reads Unknown, then is being created again, for longer than the healthy hold.
    node.run(T0 + min(5) + sec(5), T0 + min(8), () => healthy([unknownAfterReboot]));
    node.run(T0 + min(8) + sec(5), T0 + min(10), () => healthy([creating]));
    node.run(T0 + min(10) + sec(5), T0 + min(20), () => healthy([missing]));
    expect(node.announcements("warning").filter((m) => m.includes("not in the local registry"))).toHaveLength(1);
  });
});
