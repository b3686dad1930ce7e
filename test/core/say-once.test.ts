// Stage sayOnce: said once per episode; again only after the condition was clear for the healthy
// hold, or as a reminder.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { sayOnce } from "../../src/core/say-once.js";
import type { AnnouncedKey } from "../../src/core/types.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, pod, reading, sec, with_ } from "./builders.js";

const policy = parseConfig({});
const warn = (key: string) => ({ level: "warning" as const, key, message: `about ${key}` });
const said = (ago: number, seenAgo = 0, firstAgo = ago): AnnouncedKey => ({ firstSaidAt: T0 - firstAgo, saidAt: T0 - ago, seenAt: T0 - seenAgo });

describe("said once per episode", () => {
  it.each([
    ["a new condition is said", [warn("a")], {}, false, ["about a"], ["a"]],
    ["a condition said 10 minutes ago and still there is not said again", [warn("a")], { a: said(min(10), sec(5)) }, false, [], ["a"]],
    ["the same key twice in one step is said once", [warn("a"), warn("a")], {}, false, ["about a"], ["a"]],
    ["one tick without the condition (Running between back-offs) keeps the key", [], { a: said(min(10), sec(5)) }, false, [], ["a"]],
    ["clear for the healthy hold: the key is forgotten", [], { a: said(min(10), min(1)) }, false, [], []],
    ["back after the key was forgotten: said again, a new episode", [warn("a")], {}, false, ["about a"], ["a"]],
    ["while a probe cannot look nothing is seen clear: the key is kept", [], { a: said(min(10), min(5)) }, true, [], ["a"]],
    ["a condition that lasts a day is said again, as a reminder", [warn("a")], { a: said(min(24 * 60), sec(5)) }, false, ["reminder, first said 1d ago: about a"], ["a"]],
  ])("%s", (_title, announcements, before, blind, messages, keys) => {
    const out = sayOnce(policy, announcements, before, { now: T0, blind, healthy: true });
    expect(out.commands.map((c) => (c.kind === "announce" ? c.message : c.kind))).toEqual(messages);
    expect(Object.keys(out.announced)).toEqual(keys);
  });

  it("a gave-up whose symptom is still found while the ladder tries again after the cooldown is not forgotten, so a second give-up is not said again", () => {
    const gaveUp = { level: "err" as const, key: "gave-up:containerd-socket-missing", message: "gave up on containerd-socket-missing" };
    // The cooldown ran out 10 minutes ago; the ladder retried; the socket is still missing.
    const retrying = sayOnce(policy, [], { [gaveUp.key]: said(min(70), min(10)) }, { now: T0, blind: false, ongoing: [gaveUp.key] });
    expect(retrying.commands).toEqual([]);
    expect(retrying.announced[gaveUp.key]?.seenAt).toBe(T0);
    const again = sayOnce(policy, [gaveUp], retrying.announced, { now: T0 + min(5), blind: false, ongoing: [gaveUp.key] });
    expect(again.commands).toEqual([]);
    // Once the symptom is no longer found, the key ages out after the healthy hold as any other.
    expect(sayOnce(policy, [], { [gaveUp.key]: said(min(70), min(1)) }, { now: T0, blind: false, ongoing: [] }).announced).toEqual({});
  });

  it("a key not raised is kept while the node is not healthy, however long, and ages from when it is", () => {
    const before = { a: said(min(10), min(5)) };
    const unhealthy = sayOnce(policy, [], before, { now: T0, blind: false, healthy: false });
    expect(unhealthy.announced.a?.seenAt).toBe(T0);
    const healthyFor = (ms: number) => sayOnce(policy, [], unhealthy.announced, { now: T0 + ms, blind: false, healthy: true }).announced;
    expect(Object.keys(healthyFor(policy.timing.healthyHold - 1))).toEqual(["a"]);
    expect(healthyFor(policy.timing.healthyHold)).toEqual({});
  });

  it("a reminder falling due is a wake-up: the earliest among the conditions raised now", () => {
    const out = sayOnce(policy, [warn("a"), warn("b")], { a: said(min(60), sec(5)), b: said(min(30), sec(5)) }, { now: T0, blind: false, healthy: false });
    expect(out.remindAt).toBe(T0 - min(60) + policy.announcements.remindEvery);
    expect(sayOnce(policy, [], { a: said(min(60), sec(5)) }, { now: T0, blind: false, healthy: false }).remindAt).toBeNull();
  });

  it("the reminder interval comes from the config", () => {
    const hourly = parseConfig({ announcements: { remindEvery: "1h" } });
    const out = sayOnce(hourly, [warn("a")], { a: said(min(60), sec(5), min(120)) }, { now: T0, blind: false });
    expect(out.commands).toEqual([expect.objectContaining({ message: "reminder, first said 2h ago: about a" })]);
    expect(out.announced.a).toEqual({ firstSaidAt: T0 - min(120), saidAt: T0, seenAt: T0 });
  });
});

describe("said once, through the whole step", () => {
  const crashing = (restarts: number) => pod("nlp-processor-abc", { display: "CrashLoopBackOff", ready: false, restarts, waiting: { container: "app", reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container" } });
  const runningBetweenBackOffs = (restarts: number) => pod("nlp-processor-abc", { restarts, ready: false });

  it("CrashLoopBackOff is said once in an hour, though a tick now and then sees the container Running between back-offs", () => {
    const node = new FakeNode(T0);
    // Every 5 minutes one tick sees the container Running for a moment before it crashes again.
    node.run(T0, T0 + min(60), (t) => ((t - T0) % min(5) === 0 ? healthy([runningBetweenBackOffs(12)]) : healthy([crashing(12)])));
    expect(node.announcements("warning").filter((m) => m.includes("CrashLoopBackOff"))).toHaveLength(1);
    expect(node.remedies()).toEqual([]);
  });

  it("image not in the local registry is said once while the pull retries", () => {
    const missing = pod("frontend-abc", { phase: "Pending", display: "ImagePullBackOff", ready: false, pullFailure: { image: "localhost:5000/songnodes_frontend:latest", cause: "image-missing", localRegistry: true, message: "not found" } });
    const retrying = pod("frontend-abc", { phase: "Pending", display: "ContainerCreating", ready: false, pulling: true });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(60), (t) => ((t - T0) % min(3) < sec(10) ? healthy([retrying]) : healthy([missing])));
    expect(node.announcements("warning").filter((m) => m.includes("not in the local registry"))).toHaveLength(1);
  });

  it("CrashLoopBackOff is not said again after a k3s restart hid the pod list for 2 minutes", () => {
    const node = new FakeNode(T0);
    const apiDown = with_({ api: reading("bad", { httpStatus: null }, "connection refused"), pods: reading("unknown", null, "cannot list pods: connection refused") });
    node.run(T0, T0 + min(60), (t) => (t >= T0 + min(20) && t < T0 + min(22) ? apiDown : healthy([crashing(12)])));
    expect(node.announcements("warning").filter((m) => m.includes("CrashLoopBackOff"))).toHaveLength(1);
  });

  it("said again once the condition has been clear for the healthy hold, as a new episode", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(5), () => healthy([crashing(3)]));
    node.run(T0 + min(5) + sec(5), T0 + min(7), () => healthy([pod("nlp-processor-abc", { restarts: 3 })]));
    node.run(T0 + min(7) + sec(5), T0 + min(10), () => healthy([crashing(4)]));
    expect(node.announcements("warning").filter((m) => m.includes("CrashLoopBackOff"))).toHaveLength(2);
  });

  it("a condition that lasts is reminded of once a day", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(24 * 60 + 5), () => healthy([crashing(30)]), min(1));
    const said = node.announcements("warning").filter((m) => m.includes("CrashLoopBackOff"));
    expect(said).toHaveLength(2);
    expect(said[1]).toMatch(/^reminder, first said 1d ago: /);
  });
});
