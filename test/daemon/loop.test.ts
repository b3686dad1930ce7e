// The loop against hand-written probes and actions and a real SQLite journal file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { createLoop } from "../../src/daemon/loop.js";
import { openJournal } from "../../src/journal/index.js";
import { T0, k3sCycling, sec } from "../core/builders.js";
import { fakeActions, fakeProbes, memoryLogger } from "./fakes.js";

const journalPath = () => join(mkdtempSync(join(tmpdir(), "swd-loop-")), "journal.sqlite");

function setUp(config: unknown = {}, path = journalPath(), statuses: string[] = [], startAt = T0) {
  let now = startAt;
  const clock = { now: () => now };
  const probes = fakeProbes();
  const actions = fakeActions();
  const logger = memoryLogger();
  const journal = openJournal(path, clock);
    const notifier = { ready: async () => {}, watchdog: async () => {}, stopping: async () => {}, status: async (line: string) => void statuses.push(line) };
  const loop = createLoop({ config: parseConfig({ timing: { probeTimeout: "200ms" }, actionTimeouts: { restartK3s: "300ms" }, ...(config as object) }), probes: probes.probes, actions: actions.actions, logger, clock, bootId: "boot-1", journal, notifier });
  const at = async (ms: number) => {
    now = T0 + ms;
    return loop.iterate(now);
  };
  return { loop, probes, actions, logger, journal, at, path };
}

describe("the loop", () => {
  it("writes an action to the journal before it runs and after it ends, and feeds the outcome back", async () => {
    const t = setUp();
    t.probes.readings = { ...t.probes.readings, k3sUnit: k3sCycling() };
    await t.at(0);
    const report = await t.at(sec(30));
    expect(t.actions.calls.map((c) => c.kind)).toEqual(["restart-k3s"]);
    expect(report.outcomes).toEqual([expect.objectContaining({ kind: "restart-k3s", ok: true })]);
    const action = t.journal.lastAction();
    expect(action).toMatchObject({ kind: "restart-k3s", outcome: "succeeded", touched: ["k3s.service"] });
    expect(action!.startedAt).not.toBeNull();
    expect(t.logger.lines.some((l) => l.level === "warn" && l.message.startsWith("restarting k3s through systemd"))).toBe(true);
  });

  it("dry-run records what it would have done and runs nothing", async () => {
    const t = setUp({ dryRun: true });
    t.probes.readings = { ...t.probes.readings, k3sUnit: k3sCycling() };
    await t.at(0);
    await t.at(sec(30));
    expect(t.actions.calls).toEqual([]);
    expect(t.journal.lastAction()).toMatchObject({ kind: "restart-k3s", outcome: "dry-run", dryRun: true });
    expect(t.logger.lines.some((l) => l.message.startsWith("dry-run: would restart k3s"))).toBe(true);
  });

  it("a probe that throws or never answers reads unknown with its reason, and nothing is done", async () => {
    const t = setUp();
    t.probes.misbehave = { k3sUnit: "throw", api: "hang" };
    const report = await t.at(0);
    expect(report.observations.k3sUnit).toMatchObject({ status: "unknown", reason: "probe k3sUnit failed: EACCES: permission denied" });
    expect(report.observations.api).toMatchObject({ status: "unknown", reason: "probe api did not answer within 200ms" });
    for (let s = 5; s <= 120; s += 5) await t.at(sec(s));
    expect(t.actions.calls).toEqual([]);
  });

  it("an action that ignores its timeout fails and the loop carries on", async () => {
    const t = setUp();
    t.probes.readings = { ...t.probes.readings, k3sUnit: k3sCycling() };
    t.actions.answer = "hang";
    await t.at(0);
    const report = await t.at(sec(30));
    expect(report.outcomes[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/did not finish within 5s; the loop stopped waiting/) });
    expect(t.journal.lastAction()).toMatchObject({ outcome: "failed" });
    await t.at(sec(35));
  }, 15_000);

  it("a restarted daemon remembers the budget spent before it and a pause that has not expired", async () => {
    const path = journalPath();
    const first = setUp({}, path);
    first.probes.readings = { ...first.probes.readings, k3sUnit: k3sCycling() };
    await first.at(0);
    await first.at(sec(30));
    first.journal.recordPause(T0 + 3_600_000, "k3s upgrade", T0 + sec(31), "root");
    first.journal.close();
    const second = setUp({}, path, [], T0 + sec(35));
    expect(second.loop.state().actions).toEqual([{ kind: "restart-k3s", at: T0 + sec(30) }]);
    await second.at(sec(40));
    expect(second.loop.state().phase).toBe("paused");
  });

  it("records phase transitions and probe changes in the journal", async () => {
    const t = setUp();
    await t.at(0);
    for (let s = 5; s <= 65; s += 5) await t.at(sec(s));
    const history = t.journal.history({ limit: 50 });
    expect(history.some((h) => h.kind === "phase" && /healthy/.test(h.summary))).toBe(true);
    expect(history.filter((h) => h.kind === "observation")).toHaveLength(7);
    expect(t.journal.boots(5)[0]).toMatchObject({ bootId: "boot-1", healthyAt: T0 });
  });

  it("tells systemd its STATUS= only when it changes: the phase, then the last action", async () => {
    const statuses: string[] = [];
    const t = setUp({}, journalPath(), statuses);
    for (let s = 0; s <= 120; s += 5) await t.at(sec(s));
    expect(statuses).toEqual(["waiting-for-k3s", "healthy"]);
    t.probes.readings = { ...t.probes.readings, k3sUnit: k3sCycling() };
    for (let s = 125; s <= 160; s += 5) await t.at(sec(s));
    expect(statuses.at(-1)).toMatch(/^recovering; last action: restart-k3s succeeded at 2026-11-26T02:02:/);
  });
});
