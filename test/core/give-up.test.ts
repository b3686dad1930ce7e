// Stage settleGivingUp: gave-up ends on healing or after its cooldown; damage no restart can fix asks for a human.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { gaveUpAnnouncement, settleGivingUp } from "../../src/core/give-up.js";
import { stampObservations } from "../../src/core/observe.js";
import type { SymptomFinding } from "../../src/core/symptoms.js";
import { T0, healthy, min, reading, sec, with_ } from "./builders.js";

const policy = parseConfig({});
const gaveUp = { symptom: "k3s-down" as const, at: T0 - min(30), retryAt: T0 + min(30), why: "the ladder is spent" };
const k3sDown: SymptomFinding = { symptom: "k3s-down", since: T0 - min(31), due: true, dueAt: T0, why: "k3s down" };
const corrupt = with_({ k3sLog: reading("bad", { signature: "panic: assertion failed: Page expected to be", source: "containerd.log" }, "containerd metadata is corrupt") });

describe("giving up", () => {
  it.each([
    ["a node that heals by itself, healthy for the healthy hold, ends it", gaveUp, T0 - min(1), healthy(), [], T0, null],
    ["healthy for less than the hold: it stays", gaveUp, T0 - sec(59), healthy(), [], T0, gaveUp],
    ["a flapping k3s healthy for 5 minutes between crashes has not healed: it stays", { ...gaveUp, symptom: "k3s-flapping" as const }, T0 - min(5), healthy(), [], T0, { ...gaveUp, symptom: "k3s-flapping" }],
    ["a flapping k3s calm for the whole flapping window has healed", { ...gaveUp, symptom: "k3s-flapping" as const }, T0 - min(10), healthy(), [], T0, null],
    ["its cooldown over, the ladder may act again", gaveUp, null, healthy(), [k3sDown], T0 + min(30), null],
    ["before its cooldown, it stays", gaveUp, null, healthy(), [k3sDown], T0 + min(29), gaveUp],
    ["containerd corruption while k3s is in trouble asks for a human", null, null, corrupt, [k3sDown], T0, expect.objectContaining({ symptom: "human-needed", retryAt: null })],
    ["an old corruption signature while k3s is healthy changes nothing", null, null, corrupt, [], T0, null],
  ])("%s", (_title, before, healthySince, readings, findings, now, after) => {
    const obs = stampObservations(null, readings, now);
    expect(settleGivingUp(policy, { gaveUp: before, ladder: null, healthySince }, obs, findings, now).gaveUp).toEqual(after);
  });

  it("is said at err with when it acts again", () => {
    expect(gaveUpAnnouncement(gaveUp)).toMatchObject({ level: "err", message: `gave up on k3s-down: the ladder is spent; trying again at ${new Date(T0 + min(30)).toISOString()}` });
  });
});

describe("when it asks for a person", () => {
  const obs = stampObservations(null, corrupt, T0);
  const asked = settleGivingUp(policy, { gaveUp: null, ladder: null, healthySince: null }, obs, [k3sDown], T0).gaveUp!;
  const message = gaveUpAnnouncement(asked).message;

  it("names containerd's damaged meta.db under the k3s agent directory", () => {
    expect(message).toContain("/var/lib/rancher/k3s/agent/containerd/io.containerd.metadata.v1.bolt/meta.db is damaged");
  });

  it("quotes the evidence line and where it was found", () => {
    expect(message).toContain('containerd.log says "panic: assertion failed: Page expected to be"');
  });

  it("links the repair procedure and says resume once", () => {
    expect(message).toContain("docs/repairs.md");
    expect(message.match(/resume/g)).toHaveLength(1);
  });

  it("says 'no restart can fix this' once, not twice", () => {
    expect(message.match(/no restart can fix this/gi)).toHaveLength(1);
  });

  it("follows the configured containerd.log to find meta.db", () => {
    const moved = parseConfig({ k3s: { containerdLog: "/data/k3s/agent/containerd/containerd.log" } });
    const other = settleGivingUp(moved, { gaveUp: null, ladder: null, healthySince: null }, obs, [k3sDown], T0).gaveUp!;
    expect(other.why).toContain("/data/k3s/agent/containerd/io.containerd.metadata.v1.bolt/meta.db");
  });
});
