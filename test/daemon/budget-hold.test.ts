// When the journal has forgotten the last window's remedies, the disruptive budgets are held for one
// window; when it cannot have forgotten anything (the system is younger than the window) or the
// operator says the node is as new as the journal, they are not.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { openJournal } from "../../src/journal/index.js";
import { holdBudgetsIfForgotten } from "../../src/daemon/budget-hold.js";
import { createMemoryLogger } from "../status/harness.js";

const now = Date.parse("2026-12-01T04:00:00Z");
const HOUR = 3_600_000;

describe("holding the budgets of a journal that forgot", () => {
  it("a new journal on a system up longer than the longest window holds each disruptive budget for one window", () => {
    const journal = openJournal(":memory:");
    const logger = createMemoryLogger();
    const held = holdBudgetsIfForgotten(journal, parseConfig({}), { fresh: true, lost: null }, now, 2 * HOUR, logger);
    expect(held.hold).toEqual({ from: now, until: now + HOUR });
    const stamps = held.journal.actionStamps(now - HOUR);
    expect(stamps.filter((s) => s.kind === "restart-k3s")).toHaveLength(3);
    expect(stamps.filter((s) => s.kind === "killall-k3s")).toHaveLength(1);
    expect(stamps.filter((s) => s.kind === "restart-registry")).toHaveLength(3);
    expect(stamps.filter((s) => s.kind === "delete-pods")).toHaveLength(0);
    // One window later the presumed remedies have left the window.
    expect(held.journal.actionStamps(now + 1)).toEqual([]);
    expect(logger.lines.filter((line) => line.level === "warn")).toHaveLength(1);
  });

  it("a new journal on a system younger than the window holds nothing: there was nothing to forget", () => {
    const journal = openJournal(":memory:");
    const held = holdBudgetsIfForgotten(journal, parseConfig({}), { fresh: true, lost: null }, now, 20 * 60_000, createMemoryLogger());
    expect(held.hold).toBeNull();
    expect(held.journal.actionStamps(0)).toEqual([]);
  });

  it("a corrupt journal holds whatever the uptime", () => {
    const held = holdBudgetsIfForgotten(openJournal(":memory:"), parseConfig({}), { fresh: true, lost: "journal.sqlite is corrupt" }, now, 60_000, createMemoryLogger());
    expect(held.hold).toEqual({ from: now, until: now + HOUR });
  });

  it("journal.holdBudgetsWhenForgotten: false holds nothing and says so", () => {
    const logger = createMemoryLogger();
    const held = holdBudgetsIfForgotten(openJournal(":memory:"), parseConfig({ journal: { holdBudgetsWhenForgotten: false } }), { fresh: true, lost: null }, now, 2 * HOUR, logger);
    expect(held.hold).toBeNull();
    expect(logger.lines).toEqual([{ level: "warn", message: "the journal has no record of the last 1h; budgets are not held (journal.holdBudgetsWhenForgotten: false)" }]);
  });
});
