// journald noise: a k3s that never starts changes its unit's reason on almost every tick. The log
// says it went bad once, at warning, then at most one summary every five minutes, and nothing
// above debug about the probes once the daemon gave up.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { createLoop } from "../../src/daemon/loop.js";
import { observationLine, SUMMARY_INTERVAL_MS, type ObservationLogMemory } from "../../src/daemon/observation-log.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimActions } from "../../src/sim/ports/sim-actions.js";
import { createSimProbes } from "../../src/sim/ports/sim-probes.js";
import { memoryLogger } from "./fakes.js";

const MIN = 60_000;

describe("the observation log policy", () => {
  it("a probe going bad is a warning once; its repeats are debug; a summary at most every five minutes", () => {
    const memory: ObservationLogMemory = {};
    const levels: string[] = [];
    // A reason that changes every second for ten minutes.
    for (let s = 0; s < 600; s += 1) levels.push(observationLine(memory, "k3sUnit", "bad", `attempt ${s}`, s * 1000, "recovering").level);
    expect(levels.filter((l) => l === "warn")).toHaveLength(1);
    expect(levels[0]).toBe("warn");
    // One summary at +5m (the warning was at 0); none other in ten minutes.
    expect(levels.filter((l) => l === "info")).toHaveLength(1);
    expect(levels.indexOf("info")).toBe(SUMMARY_INTERVAL_MS / 1000);
    expect(levels.filter((l) => l === "debug")).toHaveLength(598);
  });

  it("the summary says how many changes it held back, and recovery after a warning is said at info", () => {
    const memory: ObservationLogMemory = {};
    observationLine(memory, "registry", "bad", "container exited", 0, "healthy");
    for (let s = 1; s <= 4; s += 1) observationLine(memory, "registry", "bad", `container restarting ${s}`, s * 1000, "healthy");
    const summary = observationLine(memory, "registry", "bad", "container exited (1)", 5 * MIN, "healthy");
    expect(summary).toEqual({ level: "info", message: "registry still bad (4 more change(s) in the last 5m logged at debug): container exited (1)", fields: { probe: "registry", status: "bad", heldBack: 4 } });
    expect(observationLine(memory, "registry", "ok", "running", 5 * MIN + 1000, "healthy").level).toBe("info");
  });

  it("a flapping probe warns once per interval, not once per flap; an ok that was never warned is debug", () => {
    const memory: ObservationLogMemory = {};
    const levels: string[] = [];
    for (let s = 0; s < 300; s += 20) {
      levels.push(observationLine(memory, "k3sUnit", "bad", "failed", s * 1000, "recovering").level);
      levels.push(observationLine(memory, "k3sUnit", "ok", "running", (s + 10) * 1000, "recovering").level);
    }
    expect(levels).toEqual(["warn", "info", ...Array.from({ length: 28 }, () => "debug")]);
  });

  it("after gave-up nothing about the probes is logged above debug, not even a summary", () => {
    const memory: ObservationLogMemory = {};
    const levels = Array.from({ length: 120 }, (_, i) => observationLine(memory, "k3sUnit", i % 2 === 0 ? "bad" : "unknown", `r${i}`, i * 30_000, "gave-up").level);
    expect(new Set(levels)).toEqual(new Set(["debug"]));
  });
});

describe("journald noise from a k3s that never starts (the loop on the simulated node)", () => {
  it("one warning for k3sUnit, at most one summary per five minutes, and quiet about probes once gave up", async () => {
    const config = parseConfig({});
    const start = Date.parse("2025-11-14T10:00:00Z");
    const node = createSongNodesNode({ start, seed: 1, initial: "healthy" });
    const sim = createSimActions(node, config.k3s.unit);
    const logger = memoryLogger();
    let now = start;
    const loop = createLoop({ config, probes: createSimProbes(node, config), actions: sim.actions as never, logger, clock: { now: () => now }, bootId: node.runtime.bootId() });
    const lines: { level: string; message: string; at: number; phase: string }[] = [];
    let gaveUpAt: number | null = null;
    node.advance(start);
    node.inject({ fault: "k3s-fails-to-start", times: 100_000 } as never);
    for (now = start; now <= start + 60 * MIN; now += config.timing.tick) {
      node.advance(now);
      const before = logger.lines.length;
      const report = await loop.iterate(now);
      for (const line of logger.lines.slice(before)) lines.push({ ...line, at: now - start, phase: report.phase });
      if (gaveUpAt === null && report.phase === "gave-up") gaveUpAt = now - start;
    }
    const probeLines = lines.filter((l) => l.message.startsWith("k3sUnit "));
    const changes = probeLines.length;
    // Before the fix: every one of these changes was a warning.
    expect(changes).toBeGreaterThan(40);
    expect(probeLines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(gaveUpAt).not.toBeNull();
    const summaries = probeLines.filter((l) => l.level === "info");
    const beforeGaveUp = probeLines.filter((l) => l.at < gaveUpAt!);
    // The unit changes every few seconds, so each five-minute mark before gave-up brings exactly one summary.
    expect(summaries.map((l) => Math.floor(l.at / SUMMARY_INTERVAL_MS))).toEqual(Array.from({ length: Math.floor(gaveUpAt! / SUMMARY_INTERVAL_MS) }, (_, i) => i + 1));
    for (let i = 1; i < summaries.length; i += 1) expect(summaries[i]!.at - summaries[i - 1]!.at).toBeGreaterThanOrEqual(SUMMARY_INTERVAL_MS);
    expect(beforeGaveUp.filter((l) => l.level !== "debug")).toHaveLength(1 + summaries.length);
    // Once gave up: no probe line above debug for the rest of the hour.
    const probeNames = /^(k3sUnit|containerdSocket|api|nodes|pods|registry|k3sLog) /;
    const afterGaveUp = lines.filter((l) => l.at > gaveUpAt! && probeNames.test(l.message));
    expect(afterGaveUp.length).toBeGreaterThan(300);
    expect(afterGaveUp.filter((l) => l.level !== "debug")).toEqual([]);
  });
});
