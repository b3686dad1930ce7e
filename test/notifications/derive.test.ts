// Which notifications an iteration gives rise to: the pure derivation from the loop's report.
import { describe, expect, it } from "vitest";
import type { BudgetUse } from "../../src/core/budgets.js";
import type { ActionOutcome, Command, Phase } from "../../src/core/types.js";
import { deriveEvents, EMPTY_BOOK, type EpisodeBook, type IterationFacts } from "../../src/notifications/derive.js";
import { eventId } from "../../src/notifications/event.js";

const T0 = Date.parse("2026-11-30T10:00:00Z");
const policy = { reminderMs: null, budgetLowLeft: 1 };
const budget = (kind: BudgetUse["kind"], used: number, max: number): BudgetUse => ({ kind, used, max, windowMs: 3_600_000, left: Math.max(0, max - used), nextFreeAt: null });
const idle: BudgetUse[] = [budget("restart-k3s", 0, 3), budget("killall-k3s", 0, 1), budget("restart-registry", 0, 3), budget("delete-pods", 0, 20)];
const gaveUp: Command = { kind: "announce", level: "err", key: `gave-up:k3s-down:${T0}`, message: "gave up on k3s-down: the ladder is spent" };
const humanNeeded: Command = { kind: "announce", level: "err", key: `gave-up:human-needed:${T0}`, message: "gave up on human-needed: containerd metadata is corrupt" };

function facts(now: number, phase: Phase, commands: Command[] = [], outcomes: ActionOutcome[] = [], budgets = idle): IterationFacts {
  return { now, phase, commands, outcomes, budgets, node: "songnodes" };
}

/** Feed iterations one after another, collecting every event. */
function run(steps: IterationFacts[], p = policy, book: EpisodeBook = EMPTY_BOOK) {
  const events = [];
  for (const step of steps) {
    const out = deriveEvents(step, book, p);
    events.push(...out.events);
    book = out.book;
  }
  return { events, book };
}

describe("notifications derived from the loop's reports", () => {
  it("a give-up is told once, with a stable id, however many ticks the daemon stays given up", () => {
    const steps = [facts(T0, "gave-up", [gaveUp]), ...Array.from({ length: 20 }, (_, i) => facts(T0 + (i + 1) * 5000, "gave-up"))];
    const { events } = run(steps);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "gave-up", severity: "critical", id: eventId("gave-up", gaveUp.key), episode: gaveUp.key });
    expect(run(steps).events[0]!.id).toBe(events[0]!.id);
  });

  it("containerd corruption asks for a person, as its own kind", () => {
    const { events } = run([facts(T0, "gave-up", [humanNeeded])]);
    expect(events.map((e) => [e.kind, e.severity])).toEqual([["human-needed", "critical"]]);
  });

  it("recovery after a told give-up sends exactly one resolved naming it; a healthy node after that sends nothing", () => {
    const { events } = run([facts(T0, "gave-up", [gaveUp]), facts(T0 + 5000, "recovering"), facts(T0 + 10_000, "healthy"), facts(T0 + 15_000, "healthy"), facts(T0 + 20_000, "healthy")]);
    expect(events.map((e) => e.kind)).toEqual(["gave-up", "resolved"]);
    expect(events[1]).toMatchObject({ severity: "info", resolves: [eventId("gave-up", gaveUp.key)], startedAt: T0 });
  });

  it("a remedy that fails every tick is told once per incident, and a new incident tells it again", () => {
    const failed: ActionOutcome = { kind: "restart-k3s", ok: false, detail: "job failed", at: T0 };
    const { events } = run([
      facts(T0, "recovering", [], [failed]), facts(T0 + 5000, "recovering", [], [failed]), facts(T0 + 10_000, "recovering", [], [failed]),
      facts(T0 + 60_000, "healthy"),
      facts(T0 + 120_000, "recovering", [], [failed]),
    ]);
    expect(events.map((e) => e.kind)).toEqual(["remedy-failed", "resolved", "remedy-failed"]);
    expect(events[0]!.id).not.toBe(events[2]!.id);
  });

  it("a budget nearly spent is told once when it crosses the line, not every tick while it stays there", () => {
    const low = [budget("restart-k3s", 2, 3), ...idle.slice(1)];
    const { events } = run([facts(T0, "recovering", [], [], idle), facts(T0 + 5000, "recovering", [], [], low), facts(T0 + 10_000, "recovering", [], [], low)]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "budget-low", severity: "warning" });
    expect(events[0]!.message).toContain("2 of 3 used");
  });

  it("a budget spent on a healthy node is told but is no incident: no resolved follows it", () => {
    const low = [...idle.slice(0, 3), budget("delete-pods", 19, 20)];
    const { events, book } = run([facts(T0, "healthy", [], [], low), facts(T0 + 5000, "healthy", [], [], low)]);
    expect(events.map((e) => e.kind)).toEqual(["budget-low"]);
    expect(book).toEqual({ open: [], lowBudgets: ["delete-pods"] });
  });

  it("a maintenance finding at crit is told; the node's recovery does not resolve it", () => {
    const crit: Command = { kind: "announce", level: "err", key: "maintenance:disk-space:1", message: "disk 97% full" };
    const warning: Command = { kind: "announce", level: "warning", key: "maintenance:disk-space:2", message: "disk 85% full" };
    const { events, book } = run([facts(T0, "healthy", [crit, warning]), facts(T0 + 5000, "healthy")]);
    expect(events.map((e) => [e.kind, e.severity])).toEqual([["maintenance-crit", "critical"]]);
    // Told, and not kept as an open episode: nothing to resolve, nothing for the book to grow with.
    expect(book.open).toEqual([]);
  });

  it("other announcements (image missing, crash loops, recovered) wake nobody", () => {
    const said: Command[] = [
      { kind: "announce", level: "warning", key: "image-missing:x", message: "image x is not in the local registry" },
      { kind: "announce", level: "info", key: "recovered:1", message: "recovered from k3s-down" },
    ];
    expect(run([facts(T0, "recovering", said)]).events).toEqual([]);
  });

  it("with a reminder interval, an unresolved give-up is told again each interval with a new id, then resolved once", () => {
    const p = { reminderMs: 3_600_000, budgetLowLeft: 1 };
    const steps = [facts(T0, "gave-up", [gaveUp])];
    for (let t = T0 + 600_000; t <= T0 + 2.5 * 3_600_000; t += 600_000) steps.push(facts(t, "gave-up"));
    steps.push(facts(T0 + 3 * 3_600_000, "healthy"));
    const { events } = run(steps, p);
    expect(events.map((e) => [e.kind, e.notice ?? null])).toEqual([["gave-up", 1], ["gave-up", 2], ["gave-up", 3], ["resolved", null]]);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events[3]!.resolves).toEqual([events[0]!.id]);
  });

  it("the core saying an unresolved give-up again (its own reminder) is told as a reminder, not as a new episode", () => {
    const { events } = run([facts(T0, "gave-up", [gaveUp]), facts(T0 + 5000, "gave-up"), facts(T0 + 86_400_000, "gave-up", [gaveUp]), facts(T0 + 86_405_000, "healthy")]);
    expect(events.map((e) => [e.kind, e.notice ?? null])).toEqual([["gave-up", 1], ["gave-up", 2], ["resolved", null]]);
    expect(events[2]!.resolves).toEqual([events[0]!.id]);
  });

  it("one resolved ends every episode of the incident, whichever kinds were told", () => {
    const failed: ActionOutcome = { kind: "killall-k3s", ok: false, detail: "exit 1", at: T0 };
    const { events } = run([facts(T0, "recovering", [], [failed]), facts(T0 + 5000, "gave-up", [gaveUp]), facts(T0 + 10_000, "healthy")]);
    const resolved = events.filter((e) => e.kind === "resolved");
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.resolves).toEqual([events[0]!.id, events[1]!.id]);
  });
});
