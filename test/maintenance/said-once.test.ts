// "Said once per finding" across runs that could not look: the API down or a check past its
// timeout reads unknown with no findings, which must neither clear the open findings nor make the
// next run that sees them say them again. Only a run that looked and found them gone clears them.
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { parseCron, type CronSchedule } from "../../src/maintenance/cron-slots.js";
import { createMaintenanceRunner } from "../../src/maintenance/runner.js";
import { cannotLook, type CheckResult, type MaintenanceCheck } from "../../src/maintenance/types.js";
import { memoryLogger } from "../daemon/fakes.js";

type Mode = "crit" | "down" | "hangs" | "ok";
const DAY = 86_400_000;

function rig() {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const clock = { now: () => now };
  const store = openJournal(":memory:", clock).maintenance!;
  const logger = memoryLogger();
  const state = { mode: "crit" as Mode };
  const check: MaintenanceCheck = {
    name: "backup-freshness", cadence: "daily",
    run: async (): Promise<CheckResult> => {
      if (state.mode === "down") return cannotLook("cannot list Jobs: connect ECONNREFUSED 127.0.0.1:6443");
      if (state.mode === "hangs") return new Promise(() => undefined);
      if (state.mode === "ok") return { level: "ok", reason: "last night's backup completed", next: null, findings: [] };
      return { level: "crit", reason: "backup stale", next: "kubectl", findings: [{ key: "backup:stale", level: "crit", text: "backup stale", next: "kubectl -n songnodes get jobs" }] };
    },
  };
  const runner = createMaintenanceRunner({ checks: [{ check, schedule: parseCron("30 4 * * *") as CronSchedule }], store, clock, logger, timeZone: "UTC", timeoutMs: 100 });
  const events: string[] = [];
  runner.onFinding((e) => events.push(e.finding.key));
  const runs = async (...modes: Mode[]) => {
    for (const mode of modes) {
      state.mode = mode;
      now += DAY;
      await runner.runNow("backup-freshness");
    }
  };
  const said = () => logger.lines.filter((l) => l.message.startsWith("maintenance ")).map((l) => `${l.level} ${l.message}`);
  return { runs, said, events };
}

describe("a finding is said once across runs that could not look", () => {
  it.each([
    ["the API is down", "down"],
    ["the check is past its timeout", "hangs"],
  ] as const)("crit, then %s, then crit again: one err line, no 'cleared', one finding event", async (_title, blind) => {
    const { runs, said, events } = rig();
    await runs("crit", blind, "crit");
    expect(said()).toEqual(["error maintenance backup-freshness crit: backup stale; next: kubectl -n songnodes get jobs"]);
    expect(events).toEqual(["backup:stale"]);
  });

  it("crit, then two blind runs, then a run that looked and found it gone: cleared once, and said again when it returns", async () => {
    const { runs, said, events } = rig();
    await runs("crit", "down", "hangs");
    expect(said()).toHaveLength(1);
    await runs("ok");
    expect(said()).toEqual([
      "error maintenance backup-freshness crit: backup stale; next: kubectl -n songnodes get jobs",
      "info maintenance backup-freshness: cleared: backup stale",
    ]);
    await runs("down", "crit");
    expect(said().at(-1)).toBe("error maintenance backup-freshness crit: backup stale; next: kubectl -n songnodes get jobs");
    expect(events).toEqual(["backup:stale", "backup:stale"]);
  });
});
