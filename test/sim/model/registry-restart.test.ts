// The simulated registry's `docker restart` against what Debian's dockerd and the real registry do
// (docs/testing.md): exited, never restarting, for 0.17–1.30 s; then running with the port still
// refusing for 0.05–0.36 s; then answering.
import { describe, expect, it } from "vitest";
import { createPrng } from "../../../src/sim/model/prng.js";
import { createRegistry, LISTEN_AFTER_START_MS, RESTART_RANGE_MS } from "../../../src/sim/model/registry.js";
import { createScheduler } from "../../../src/sim/model/scheduler.js";

describe("the simulated registry's restart", () => {
  it("shows exited, then running before its port answers, within the measured times", async () => {
    const seen: Array<{ restartMs: number; listenMs: number }> = [];
    for (let seed = 1; seed <= 50; seed++) {
      const scheduler = createScheduler(0);
      const registry = createRegistry(scheduler, new Map([["songnodes/rest-api", ["1.4.2"]]]), createPrng(seed));
      registry.breakDown(true);
      let done = false;
      void registry.restart().then(() => (done = true));
      const states = new Set<string>();
      let t = 0;
      let restartMs = -1;
      while (!registry.apiUp()) {
        states.add(registry.containerState());
        if (registry.containerState() === "running" && restartMs < 0) restartMs = t;
        scheduler.advance(++t);
        await Promise.resolve();
      }
      expect(done).toBe(true);
      expect([...states]).toEqual(["exited", "running"]);
      seen.push({ restartMs, listenMs: t - restartMs });
    }
    for (const { restartMs, listenMs } of seen) {
      expect(restartMs).toBeGreaterThanOrEqual(RESTART_RANGE_MS.min);
      expect(restartMs).toBeLessThanOrEqual(RESTART_RANGE_MS.max);
      expect(listenMs).toBeGreaterThanOrEqual(LISTEN_AFTER_START_MS.min);
      expect(listenMs).toBeLessThanOrEqual(LISTEN_AFTER_START_MS.max);
    }
    // Drawn, not fixed: the restarts do not all take the same time.
    expect(new Set(seen.map((s) => s.restartMs)).size).toBeGreaterThan(10);
  });
});
