// The maintenance scheduler's decisions on a fake clock: anacron catch-up, no overlap, daylight
// saving, and a window missed across a reboot.
import { describe, expect, it } from "vitest";
import { instantOf, nextRunAt, parseCron, wallClock, type CronSchedule } from "../../src/maintenance/cron-slots.js";
import { dueChecks } from "../../src/maintenance/due.js";

const BERLIN = "Europe/Berlin";
const schedule = (expression: string): CronSchedule => {
  const parsed = parseCron(expression);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
};
const at = (iso: string) => Date.parse(iso);
const daily = schedule("30 4 * * *");
const names = (list: { name: string }[]) => list.map((c) => c.name);

describe("which maintenance checks are due", () => {
  it("a check that never ran is due at once, as anacron runs a job it has no timestamp for", () => {
    expect(dueChecks([{ name: "disk", schedule: daily, lastRunAt: null }], at("2026-06-10T08:00:00Z"), "UTC", new Set())).toEqual([
      { name: "disk", why: "first run", slotWall: at("2026-06-10T04:30:00Z") },
    ]);
  });

  it("a daily check that ran at today's slot is not due again until tomorrow's", () => {
    const checks = [{ name: "disk", schedule: daily, lastRunAt: at("2026-06-10T04:30:00Z") }];
    expect(dueChecks(checks, at("2026-06-10T23:59:00Z"), "UTC", new Set())).toEqual([]);
    expect(dueChecks(checks, at("2026-06-11T04:30:00Z"), "UTC", new Set())).toEqual([{ name: "disk", why: "scheduled", slotWall: at("2026-06-11T04:30:00Z") }]);
  });

  it("after three days down, a daily check is caught up once, not three times", () => {
    const checks = [{ name: "backup", schedule: daily, lastRunAt: at("2026-06-07T04:30:00Z") }];
    const due = dueChecks(checks, at("2026-06-10T09:12:00Z"), "UTC", new Set());
    expect(due).toEqual([{ name: "backup", why: "catch-up", slotWall: at("2026-06-10T04:30:00Z") }]);
  });

  it("a window missed across a reboot (down from 04:00 to 06:00) is caught up when the daemon starts", () => {
    const checks = [{ name: "backup", schedule: daily, lastRunAt: at("2026-06-09T04:30:05Z") }];
    // The node went down at 04:00, before the slot: nothing was due then.
    expect(dueChecks(checks, at("2026-06-10T04:00:00Z"), "UTC", new Set())).toEqual([]);
    expect(dueChecks(checks, at("2026-06-10T06:00:00Z"), "UTC", new Set())).toEqual([{ name: "backup", why: "catch-up", slotWall: at("2026-06-10T04:30:00Z") }]);
  });

  it("a check still running is never started again, whatever its schedule says", () => {
    const checks = [
      { name: "integrity", schedule: schedule("* * * * *"), lastRunAt: at("2026-06-10T04:00:00Z") },
      { name: "disk", schedule: schedule("* * * * *"), lastRunAt: at("2026-06-10T04:00:00Z") },
    ];
    expect(names(dueChecks(checks, at("2026-06-10T04:05:00Z"), "UTC", new Set(["integrity"])))).toEqual(["disk"]);
  });

  it("runs in the node's time zone: 04:30 in Berlin is 02:30 UTC in summer", () => {
    const checks = [{ name: "disk", schedule: daily, lastRunAt: at("2026-06-09T02:30:00Z") }];
    expect(dueChecks(checks, at("2026-06-10T02:29:00Z"), BERLIN, new Set())).toEqual([]);
    expect(names(dueChecks(checks, at("2026-06-10T02:30:00Z"), BERLIN, new Set()))).toEqual(["disk"]);
    expect(nextRunAt(daily, BERLIN, at("2026-06-10T02:31:00Z"))).toBe(at("2026-06-11T02:30:00Z"));
  });

  it("on the spring-forward night a slot inside the skipped hour (02:30 Berlin) runs at the jump, once", () => {
    const night = schedule("30 2 * * *");
    // 2026-03-29: Berlin jumps from 02:00 CET (01:00Z) to 03:00 CEST.
    const checks = [{ name: "disk", schedule: night, lastRunAt: at("2026-03-28T01:30:00Z") }];
    expect(dueChecks(checks, at("2026-03-29T00:59:00Z"), BERLIN, new Set())).toEqual([]);
    expect(names(dueChecks(checks, at("2026-03-29T01:00:00Z"), BERLIN, new Set()))).toEqual(["disk"]);
    expect(instantOf(wallClock(at("2026-03-29T01:00:00Z"), BERLIN) - 30 * 60_000, BERLIN)).toBe(at("2026-03-29T01:00:00Z"));
    const ran = [{ name: "disk", schedule: night, lastRunAt: at("2026-03-29T01:00:00Z") }];
    expect(dueChecks(ran, at("2026-03-29T20:00:00Z"), BERLIN, new Set())).toEqual([]);
  });

  it("on the fall-back night the repeated hour does not run a check a second time", () => {
    const night = schedule("30 2 * * *");
    // 2026-10-25: Berlin's 02:00-03:00 happens twice, first at 00:00Z-01:00Z (CEST), then 01:00Z-02:00Z (CET).
    const first = at("2026-10-25T00:30:00Z");
    expect(wallClock(first, BERLIN)).toBe(wallClock(at("2026-10-25T01:30:00Z"), BERLIN));
    const checks = [{ name: "disk", schedule: night, lastRunAt: first }];
    expect(dueChecks(checks, at("2026-10-25T01:30:00Z"), BERLIN, new Set())).toEqual([]);
    expect(dueChecks(checks, at("2026-10-25T23:00:00Z"), BERLIN, new Set())).toEqual([]);
    expect(names(dueChecks(checks, at("2026-10-26T01:30:00Z"), BERLIN, new Set()))).toEqual(["disk"]);
    expect(instantOf(wallClock(first, BERLIN), BERLIN)).toBe(first);
  });

  it("a weekly check is due on its weekday only, and a monthly one on its day of the month", () => {
    const weekly = schedule("45 4 * * 0");
    const monthly = schedule("0 5 1 * *");
    // 2026-06-14 is a Sunday.
    const checks = [
      { name: "weekly", schedule: weekly, lastRunAt: at("2026-06-07T04:45:00Z") },
      { name: "monthly", schedule: monthly, lastRunAt: at("2026-06-01T05:00:00Z") },
    ];
    expect(dueChecks(checks, at("2026-06-13T23:00:00Z"), "UTC", new Set())).toEqual([]);
    expect(names(dueChecks(checks, at("2026-06-14T04:45:00Z"), "UTC", new Set()))).toEqual(["weekly"]);
    expect(names(dueChecks(checks, at("2026-07-01T05:00:00Z"), "UTC", new Set()))).toEqual(["weekly", "monthly"]);
  });

  it("refuses an expression with seconds, a bad field or a named day, saying which", () => {
    expect(parseCron("0 30 4 * * *")).toMatch(/five-field/);
    expect(parseCron("61 4 * * *")).toMatch(/not a valid cron expression/);
    expect(typeof parseCron("*/15 1-3 * * 1,3")).toBe("object");
  });
});
