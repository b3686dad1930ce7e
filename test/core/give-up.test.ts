// Stage settleGivingUp: gave-up ends on healing or after its cooldown; damage no restart can fix asks for a human.
import { describe, expect, it } from "vitest";
import { gaveUpAnnouncement, settleGivingUp } from "../../src/core/give-up.js";
import { stampObservations } from "../../src/core/observe.js";
import type { SymptomFinding } from "../../src/core/symptoms.js";
import { T0, healthy, min, reading, with_ } from "./builders.js";

const gaveUp = { symptom: "k3s-down" as const, at: T0 - min(30), retryAt: T0 + min(30), why: "the ladder is spent" };
const k3sDown: SymptomFinding = { symptom: "k3s-down", since: T0 - min(31), due: true, dueAt: T0, why: "k3s down" };
const corrupt = with_({ k3sLog: reading("bad", { signature: "panic: assertion failed: Page expected to be", source: "containerd.log" }, "containerd metadata is corrupt") });

describe("giving up", () => {
  it.each([
    ["a node that heals by itself ends it", gaveUp, true, healthy(), [], T0, null],
    ["its cooldown over, the ladder may act again", gaveUp, false, healthy(), [k3sDown], T0 + min(30), null],
    ["before its cooldown, it stays", gaveUp, false, healthy(), [k3sDown], T0 + min(29), gaveUp],
    ["containerd corruption while k3s is in trouble asks for a human", null, false, corrupt, [k3sDown], T0, expect.objectContaining({ symptom: "human-needed", retryAt: null })],
    ["an old corruption signature while k3s is healthy changes nothing", null, false, corrupt, [], T0, null],
  ])("%s", (_title, before, healthyHeld, readings, findings, now, after) => {
    const obs = stampObservations(null, readings, now);
    expect(settleGivingUp(before, null, healthyHeld, obs, findings, now).gaveUp).toEqual(after);
  });

  it("is said at err with when it acts again", () => {
    expect(gaveUpAnnouncement(gaveUp)).toMatchObject({ level: "err", message: `gave up on k3s-down: the ladder is spent; trying again at ${new Date(T0 + min(30)).toISOString()}` });
  });
});
