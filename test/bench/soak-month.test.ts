// A seeded month of the soak inside npm test: random faults, daemon restarts, reboots, pauses and
// quiet days against the real loop and core. Each invariant is its own test, so a break names it;
// the full year is `npm run soak` (docs/benchmarks.md).
import { beforeAll, describe, expect, test } from "vitest";
import { INVARIANTS } from "../../bench/soak/invariants.js";
import { soak, type SoakTotals } from "../../bench/soak/soak.js";

const SEED = 20_251_114;
let month: SoakTotals;

describe("a seeded month of random faults (the soak)", () => {
  beforeAll(async () => {
    month = await soak({ seed: SEED, days: 30, episodes: [6, 12], shrinkMs: 0, shrunkDir: null });
    console.log(`soak month: ${(month.simulatedMs / 86_400_000).toFixed(1)} simulated days in ${(month.wallMs / 1000).toFixed(1)} s, ${month.runs} runs, faults ${JSON.stringify(month.faultsByKind)}, remedies ${JSON.stringify(month.remediesByKind)}, ${month.violations.length} violation(s)`);
    const shown = new Map<string, number>();
    for (const v of month.violations) {
      const n = shown.get(v.invariant) ?? 0;
      shown.set(v.invariant, n + 1);
      if (n < 3) console.log(`soak month violation: ${v.invariant}: run ${v.run} +${Math.round(v.at / 1000)}s ${v.detail}`);
    }
  }, 900_000);

  const broken = (invariant: string) => month.violations.filter((v) => v.invariant === invariant).map((v) => `run ${v.run} +${Math.round(v.at / 1000)}s: ${v.detail}`);

  test("covers at least 30 simulated days with faults of many kinds and remedies of every kind", () => {
    expect(month.simulatedMs).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(Object.keys(month.faultsByKind).length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(month.remediesByKind).sort()).toEqual(["delete-pods", "killall-k3s", "restart-k3s", "restart-registry"]);
  });

  for (const invariant of Object.values(INVARIANTS)) {
    test(invariant, () => expect(broken(invariant)).toEqual([]));
  }
});
