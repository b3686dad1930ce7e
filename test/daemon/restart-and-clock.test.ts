// The loop across its own restarts and across steps of the wall clock, with a real journal file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { budgetUse } from "../../src/core/budgets.js";
import { createLoop } from "../../src/daemon/loop.js";
import { openJournal } from "../../src/journal/index.js";
import { T0, healthy, k3sCycling, min, sec, unit, with_ } from "../core/builders.js";
import { fakeActions, fakeProbes, memoryLogger } from "./fakes.js";

const journalPath = () => join(mkdtempSync(join(tmpdir(), "swd-restart-")), "journal.sqlite");
const config = parseConfig({ timing: { probeTimeout: "200ms" } });

/** A daemon run on a node whose wall clock is `wall()` and monotonic clock `mono()`. */
function daemon(path: string, node: { wall: () => number; mono: () => number }, bootId = "boot-1") {
  const probes = fakeProbes();
  const actions = fakeActions();
  const logger = memoryLogger();
  const clock = { now: node.wall, monotonic: node.mono };
  const journal = openJournal(path, clock);
  const loop = createLoop({ config, probes: probes.probes, actions: actions.actions, logger, clock, bootId, journal });
  return { loop, probes, actions, logger, journal };
}

describe("a daemon restart never hastens or repeats a remedy", () => {
  it("restarted while its killall runs, the new daemon goes on at the next rung: no second k3s restart, gave-up once", async () => {
    const path = journalPath();
    let t = T0;
    const node = { wall: () => t, mono: () => t - T0 + min(60) };
    const first = daemon(path, node);
    first.probes.readings = with_({ k3sUnit: k3sCycling() });
    for (; t <= T0 + min(10) && !first.actions.calls.some((c) => c.kind === "killall-k3s"); t += sec(5)) {
      if (first.actions.calls.some((c) => c.kind === "restart-k3s")) first.actions.answer = "hang";
      void first.loop.iterate(t);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(first.actions.calls.map((c) => c.kind)).toEqual(["restart-k3s", "killall-k3s"]);
    // The first daemon is killed while the killall hangs; systemd starts a new one.
    t += sec(5);
    const second = daemon(path, node);
    second.probes.readings = with_({ k3sUnit: k3sCycling() });
    expect(second.loop.state().ladder).toMatchObject({ symptom: "k3s-down", rung: 1 });
    for (; t <= T0 + min(40); t += sec(5)) await second.loop.iterate(t);
    expect(second.actions.calls).toEqual([]);
    expect(second.loop.state().phase).toBe("gave-up");
    const gaveUp = second.journal.history({ kind: "note", limit: 50 }).filter((h) => /gave up on k3s-down/.test(h.summary));
    expect(gaveUp).toHaveLength(1);
    expect(second.journal.lastAction()).toMatchObject({ kind: "killall-k3s", outcome: "interrupted" });
  });

  it("restarted while it has given up, it stays given up: no remedy and no second 'gave up' before the cooldown ends", async () => {
    const path = journalPath();
    let t = T0;
    const node = { wall: () => t, mono: () => t - T0 + min(60) };
    const first = daemon(path, node);
    first.probes.readings = with_({ k3sUnit: k3sCycling() });
    for (; t <= T0 + min(15); t += sec(5)) await first.loop.iterate(t);
    expect(first.loop.state().phase).toBe("gave-up");
    first.journal.close();
    for (const restartAt of [min(20), min(30)]) {
      t = T0 + restartAt;
      const next = daemon(path, node);
      next.probes.readings = with_({ k3sUnit: k3sCycling() });
      expect(next.loop.state().gaveUp?.symptom).toBe("k3s-down");
      for (; t < T0 + restartAt + min(5); t += sec(5)) await next.loop.iterate(t);
      expect(next.actions.calls).toEqual([]);
      next.journal.close();
    }
    const journal = openJournal(path);
    expect(journal.history({ kind: "note", limit: 50 }).filter((h) => /gave up on/.test(h.summary))).toHaveLength(1);
    journal.close();
  });

  it("after a reboot gave-up and its cooldown are kept, but the ladder and pod clocks start again", async () => {
    const path = journalPath();
    let t = T0;
    const first = daemon(path, { wall: () => t, mono: () => t - T0 + min(60) });
    first.probes.readings = with_({ k3sUnit: k3sCycling() });
    for (; t <= T0 + min(15); t += sec(5)) await first.loop.iterate(t);
    first.journal.close();
    t = T0 + min(20);
    const booted = daemon(path, { wall: () => t, mono: () => t - (T0 + min(19)) }, "boot-2");
    expect(booted.loop.state().gaveUp).toMatchObject({ symptom: "k3s-down" });
    expect(booted.loop.state().gaveUp!.retryAt).toBeLessThanOrEqual(T0 + min(20) + min(60));
    expect(booted.loop.state().ladder).toBeNull();
  });
});

describe("steps of the wall clock", () => {
  const starting = (startedMono: number) => unit({ activeState: "activating", subState: "start", result: "success", inactiveExitAt: T0, activeEnterAt: null, restarts: 0, inactiveExitMono: startedMono, execMainStartMono: startedMono });

  it("a +2h NTP step while k3s starts does not make its start look 2 hours old: nothing is done within its budget", async () => {
    const path = journalPath();
    let t = T0;
    let offset = 0;
    const d = daemon(path, { wall: () => t + offset, mono: () => t - T0 + sec(20) });
    d.probes.readings = with_({ k3sUnit: starting(sec(20)) });
    for (; t <= T0 + sec(80); t += sec(5)) {
      if (t === T0 + sec(10)) offset = 2 * 3_600_000;
      await d.loop.iterate(t + offset);
    }
    expect(d.actions.calls).toEqual([]);
    d.probes.readings = healthy();
    await d.loop.iterate(t + offset);
    expect(d.actions.calls).toEqual([]);
  });

  it.each([
    ["the same boot (stamps converted through the monotonic clock)", "boot-1"],
    ["the next boot (stamps from the journal's wall times, 'in the future' of the new clock)", "boot-2"],
  ])("a -30m step does not refill the budgets, across a daemon restart in %s", async (_title, bootId) => {
    const path = journalPath();
    let t = T0;
    let offset = 0;
    const d = daemon(path, { wall: () => t + offset, mono: () => t - T0 + min(60) });
    d.probes.readings = with_({ k3sUnit: k3sCycling() });
    for (; t <= T0 + min(12); t += sec(5)) await d.loop.iterate(t + offset);
    expect(d.actions.calls.map((c) => c.kind)).toEqual(["restart-k3s", "killall-k3s"]);
    d.journal.close();
    offset = -30 * 60_000;
    const next = daemon(path, { wall: () => t + offset, mono: () => t - T0 + min(60) }, bootId);
    const now = t + offset;
    expect(budgetUse(config, next.loop.state().actions, "restart-k3s", now).used).toBe(1);
    expect(budgetUse(config, next.loop.state().actions, "killall-k3s", now)).toMatchObject({ used: 1, left: 0 });
  });
});
