// Issue 9 item 10 as a table: what reaches journald, and at which level, for a probe's changes. A
// k3s restarting every few seconds changes its unit probe's reason on every tick; the log says the
// change to bad once at warning, keeps the repeats at debug with at most one summary per five
// minutes, and is quiet about probes once the daemon gave up (its reminder is announced elsewhere).
import { describe, expect, test } from "vitest";
import type { Health, Phase } from "../../src/core/types.js";
import { observationLine, type ObservationLogMemory, SUMMARY_INTERVAL_MS } from "../../src/daemon/observation-log.js";

type Row = [seconds: number, status: Health, phase: Phase, level: "debug" | "info" | "warn", says?: string];

function play(rows: Row[]): void {
  const memory: ObservationLogMemory = {};
  for (const [seconds, status, phase, level, says] of rows) {
    const line = observationLine(memory, "k3sUnit", status, `k3s.service reading at ${seconds}s`, seconds * 1000, phase);
    expect({ at: seconds, level: line.level }).toEqual({ at: seconds, level });
    if (says !== undefined) expect(line.message).toContain(says);
  }
}

describe("journald noise: a probe's changes", () => {
  test("the change to bad is one warning; 59 more changes in 90 s are all debug", () => {
    const rows: Row[] = [[0, "bad", "recovering", "warn", "k3sUnit bad"]];
    for (let s = 1.5; s < 90; s += 1.5) rows.push([s, "bad", "recovering", "debug"]);
    expect(rows).toHaveLength(60);
    play(rows);
  });

  test("repeats give at most one summary line per five minutes, saying how many were held back", () => {
    expect(SUMMARY_INTERVAL_MS).toBe(300_000);
    play([
      [0, "bad", "recovering", "warn"],
      [10, "bad", "recovering", "debug"],
      [200, "bad", "recovering", "debug"],
      [299, "bad", "recovering", "debug"],
      [300, "bad", "recovering", "info", "k3sUnit still bad (3 more change(s) in the last 5m logged at debug)"],
      [310, "bad", "recovering", "debug"],
      [599, "bad", "recovering", "debug"],
      [600, "bad", "recovering", "info", "(2 more change(s)"],
    ]);
  });

  test("ok after a warning is one info line; a new going-bad inside the interval is held at debug", () => {
    play([
      [0, "bad", "recovering", "warn"],
      [40, "ok", "recovering", "info", "k3sUnit ok"],
      [60, "bad", "recovering", "debug"],
      [360, "bad", "recovering", "warn", "(1 more change(s)"],
    ]);
  });

  test("after gave-up nothing about the probes is above debug, however long it lasts, and ok is debug too", () => {
    const rows: Row[] = [[0, "bad", "recovering", "warn"]];
    for (let s = 345; s < 3945; s += 30) rows.push([s, "bad", "gave-up", "debug"]);
    rows.push([3945, "ok", "gave-up", "debug"]);
    play(rows);
  });

  test("an unknown reading is treated like bad: one warning, then debug", () => {
    play([
      [0, "unknown", "healthy", "warn", "k3sUnit unknown"],
      [5, "unknown", "healthy", "debug"],
    ]);
  });
});
