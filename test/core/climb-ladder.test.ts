// Stage climbLadder: the next rung once due and verified, within its budget; else give up.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { climbLadder } from "../../src/core/climb-ladder.js";
import { stampObservations } from "../../src/core/observe.js";
import type { SymptomFinding } from "../../src/core/symptoms.js";
import type { LadderPosition } from "../../src/core/types.js";
import { T0, healthy, min } from "./builders.js";

const policy = parseConfig({});
const obs = stampObservations(null, healthy(), T0);
const due: SymptomFinding = { symptom: "k3s-down", since: T0 - min(1), due: true, dueAt: T0, why: "k3s down" };
const restarted: LadderPosition = { symptom: "k3s-down", rung: 0, verifyUntil: T0, startedAt: T0 - min(3), clearSince: null };
const base = { top: due, ladder: null, gaveUp: null, pause: null, actions: [], obs };

describe("climbing the ladder", () => {
  it.each([
    ["k3s down and due: restart k3s, rung 1", base, "restart-k3s", null],
    ["still down after the restart's window: killall", { ...base, ladder: restarted }, "killall-k3s", null],
    ["inside the restart's window: nothing", { ...base, ladder: { ...restarted, verifyUntil: T0 + 1 } }, null, null],
    ["not yet due: nothing", { ...base, top: { ...due, due: false } }, null, null],
    ["paused: nothing", { ...base, pause: { until: T0 + min(5), reason: "upgrade" } }, null, null],
    ["after killall the ladder is spent: give up", { ...base, ladder: { ...restarted, rung: 1 } }, null, "k3s-down"],
    ["three restarts in the hour: give up rather than a fourth", { ...base, actions: [1, 2, 3].map((n) => ({ kind: "restart-k3s" as const, at: T0 - min(n * 10) })) }, null, "k3s-down"],
  ])("%s", (_title, view, remedy, gaveUpOn) => {
    const out = climbLadder(policy, view, T0);
    expect(out.remedy?.kind ?? null).toBe(remedy);
    expect(out.gaveUp?.symptom ?? null).toBe(gaveUpOn);
    if (remedy !== null) expect(out.actions.at(-1)).toEqual({ kind: remedy, at: T0 });
  });

  it("a restart opens its 2-minute verification window", () => {
    expect(climbLadder(policy, base, T0).ladder).toEqual({ symptom: "k3s-down", rung: 0, verifyUntil: T0 + min(2), startedAt: T0, clearSince: null });
  });
});

describe("budgets across clock steps", () => {
  it("a restart stamped 'in the future' (taken before the wall clock went back) still counts against the budget", () => {
    const actions = [{ kind: "restart-k3s" as const, at: T0 - min(20) }, { kind: "restart-k3s" as const, at: T0 - min(10) }, { kind: "restart-k3s" as const, at: T0 + min(25) }];
    const out = climbLadder(policy, { ...base, actions }, T0);
    expect(out.remedy).toBeNull();
    expect(out.gaveUp?.why).toMatch(/the restart-k3s budget is spent \(3 of 3 in 1h\)/);
  });
});

describe("one gave-up at a time: a family that goes first is never displaced", () => {
  const registryDue: SymptomFinding = { symptom: "registry-down", since: T0 - min(5), due: true, dueAt: T0, why: "the registry is down" };
  const registrySpent: LadderPosition = { symptom: "registry-down", rung: 0, verifyUntil: T0, startedAt: T0 - min(3), clearSince: null };
  const k3sGaveUp = { symptom: "k3s-flapping" as const, at: T0 - min(5), retryAt: T0 + min(55), why: "the ladder is spent" };
  const registryGaveUp = { symptom: "registry-down" as const, at: T0 - min(5), retryAt: T0 + min(55), why: "the ladder is spent" };

  it("the registry's ladder spent while the daemon has given up on k3s: the k3s gave-up stands (k3s stays barred in its cooldown)", () => {
    const out = climbLadder(policy, { ...base, top: registryDue, ladder: registrySpent, gaveUp: k3sGaveUp }, T0);
    expect(out.gaveUp).toEqual(k3sGaveUp);
    expect(out.remedy).toBeNull();
    expect(out.notes.join(" ")).toMatch(/not giving up on registry-down over the standing gave-up on k3s-flapping/);
  });

  it("k3s's ladder spent while the daemon has given up on the registry: k3s's gave-up takes its place", () => {
    const out = climbLadder(policy, { ...base, ladder: { ...restarted, rung: 1 }, gaveUp: registryGaveUp }, T0);
    expect(out.gaveUp?.symptom).toBe("k3s-down");
  });
});
