// Stage cleanUpPods: one batch a step, never with a ladder remedy, within its budget.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { cleanUpPods } from "../../src/core/clean-up-pods.js";
import type { PodTriage } from "../../src/core/pod-triage.js";
import { T0, min } from "./builders.js";

const policy = parseConfig({ budgets: { deletePods: { max: 2, window: "1h" } } });
const triage: PodTriage = { deletions: [{ namespace: "songnodes", name: "rest-api-abc", uid: "u1", force: true, why: "Terminating for 6m" }], announcements: [], registryWanted: null, firstSeen: {}, notes: [], wakes: [], ongoing: [] };
const base = { triage, actions: [], heldBack: null, ladderActed: false };

describe("pod clean-up", () => {
  it.each([
    ["a proposed deletion is made, and counts once against the budget", base, true],
    ["not in the same step as a ladder remedy", { ...base, ladderActed: true }, false],
    ["not while paused", { ...base, heldBack: "the daemon is paused (upgrade)" }, false],
    ["not with the budget spent", { ...base, actions: [{ kind: "delete-pods" as const, at: T0 - min(1) }, { kind: "delete-pods" as const, at: T0 - min(2) }] }, false],
  ])("%s", (_title, view, deletes) => {
    const out = cleanUpPods(policy, view, T0);
    expect(out.remedy !== null).toBe(deletes);
    expect(out.actions.filter((a) => a.at === T0)).toHaveLength(deletes ? 1 : 0);
  });

  it("remembers when it asked, and that it forced, so the pod is not asked again at once nor force-deleted twice", () => {
    expect(cleanUpPods(policy, base, T0).firstSeen).toEqual({ "u1:deleted": T0, "u1:forced": T0 });
  });
});
