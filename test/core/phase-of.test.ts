// Stage phaseOf: the daemon's own doing first, then the boot's progress.
import { describe, expect, it } from "vitest";
import { phaseOf, type PhaseFacts } from "../../src/core/phase-of.js";

const none: PhaseFacts = { healthyHeld: false, paused: false, gaveUp: false, climbing: false };

describe("the phase", () => {
  it.each([
    ["paused wins over everything", "recovering" as const, "waiting-for-api" as const, { ...none, paused: true, gaveUp: true }, "paused"],
    ["gave-up wins over recovering", "recovering" as const, "waiting-for-k3s" as const, { ...none, gaveUp: true, climbing: true }, "gave-up"],
    ["an open episode is recovering", "healthy" as const, "healthy" as const, { ...none, climbing: true }, "recovering"],
    ["healthy only once held", "pods-converging" as const, "healthy" as const, none, "pods-converging"],
    ["healthy held", "pods-converging" as const, "healthy" as const, { ...none, healthyHeld: true }, "healthy"],
    ["healthy stays healthy during the hold after a blip", "healthy" as const, "healthy" as const, none, "healthy"],
    ["after recovering, all ok but not held: pods-converging", "recovering" as const, "healthy" as const, none, "pods-converging"],
    ["a layer that cannot tell keeps the phase", "waiting-for-nodes" as const, null, none, "waiting-for-nodes"],
    ["the first bad layer names the phase", "healthy" as const, "waiting-for-api" as const, none, "waiting-for-api"],
  ])("%s", (_title, prev, progress, facts, expected) => {
    expect(phaseOf(prev, progress, facts)).toBe(expected);
  });
});
