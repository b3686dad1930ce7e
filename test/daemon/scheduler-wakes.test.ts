// The scheduler's wake-ups: a burst of events makes one iteration, and that iteration names every
// reason merged into it (the system test k3s-killed tells a D-Bus wake-up from a watch break by it).
import { afterEach, describe, expect, it } from "vitest";
import type { IterationReport, Loop } from "../../src/daemon/loop.js";
import { DEBOUNCE_MS, startScheduler, type Scheduler } from "../../src/daemon/scheduler.js";
import { memoryLogger } from "../systemd/harness.js";

const report = { outcomes: [], wakeAt: null } as unknown as IterationReport;

/** A loop whose iterations last `ms` each and are counted. */
function slowLoop(ms: number): { loop: Loop; iterations: () => number } {
  let count = 0;
  const loop = {
    iterate: () => {
      count += 1;
      return new Promise<IterationReport>((resolve) => setTimeout(() => resolve(report), ms));
    },
    inFlight: () => null,
  } as unknown as Loop;
  return { loop, iterations: () => count };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let scheduler: Scheduler | null = null;
afterEach(async () => {
  await scheduler?.stop(1_000);
  scheduler = null;
});

describe("wake-ups", () => {
  it("a watch break and k3s's unit changes in the same moment make one iteration that names both", async () => {
    const lines: string[] = [];
    const { loop, iterations } = slowLoop(5);
    scheduler = startScheduler({ loop, clock: { now: () => Date.now() }, logger: memoryLogger(lines), tickMs: 60_000, probeTimeoutMs: 1_000 });
    await scheduler.nextIteration();
    lines.length = 0;
    scheduler.wake("pod list of songnodes watch lost: Premature close");
    for (let i = 0; i < 4; i++) scheduler.wake("k3s.service or its D-Bus connection changed");
    await scheduler.nextIteration();
    expect(iterations()).toBe(2);
    expect(lines.filter((l) => l.includes("wake: "))).toEqual(["debug: wake: pod list of songnodes watch lost: Premature close; k3s.service or its D-Bus connection changed ×4"]);
  });

  it("unit changes that land while an iteration runs name themselves in the next one, which follows at once", async () => {
    const lines: string[] = [];
    const { loop, iterations } = slowLoop(150);
    scheduler = startScheduler({ loop, clock: { now: () => Date.now() }, logger: memoryLogger(lines), tickMs: 60_000, probeTimeoutMs: 1_000 });
    await sleep(DEBOUNCE_MS + 20);
    expect(iterations()).toBe(1);
    scheduler.wake("k3s.service or its D-Bus connection changed");
    await sleep(DEBOUNCE_MS + 10);
    scheduler.wake("k3s.service or its D-Bus connection changed");
    await scheduler.nextIteration();
    await scheduler.nextIteration();
    expect(iterations()).toBe(2);
    expect(lines.filter((l) => l.includes("wake: "))).toEqual(["debug: wake: start", "debug: wake: k3s.service or its D-Bus connection changed ×2; events or a remedy during the last iteration"]);
  });

  it("a burst of pod events names the first few pods and counts the rest", async () => {
    const lines: string[] = [];
    const { loop } = slowLoop(1);
    scheduler = startScheduler({ loop, clock: { now: () => Date.now() }, logger: memoryLogger(lines), tickMs: 60_000, probeTimeoutMs: 1_000 });
    await scheduler.nextIteration();
    lines.length = 0;
    for (let i = 0; i < 5_000; i++) scheduler.wake(`pod songnodes/web-${i} modified`);
    await scheduler.nextIteration();
    const line = lines.find((l) => l.includes("wake: ")) ?? "";
    expect(line).toContain("pod songnodes/web-0 modified; ");
    expect(line).toContain("other events ×4992");
    expect(line.length).toBeLessThan(400);
  });
});
