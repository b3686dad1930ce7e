// The data count after a boot, piece by piece: when a boot asks for it, what a count that cannot be
// taken says, the runner holding a healthy-only check while the node recovers, and the older
// `integrity` section folded into the one count's settings.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { openJournal } from "../../src/journal/index.js";
import { buildChecks } from "../../src/maintenance/check-set.js";
import { countDueAfterBoot, couldNotCount, createDataIntegrityCheck, parseCount } from "../../src/maintenance/checks/data-integrity.js";
import { dataCountSettings } from "../../src/maintenance/data-count-settings.js";
import { parseCron, type CronSchedule } from "../../src/maintenance/cron-slots.js";
import type { ExecResult, PodExec } from "../../src/maintenance/ports.js";
import { askTrigger } from "../../src/maintenance/ask-trigger.js";
import { createMaintenanceRunner } from "../../src/maintenance/runner.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimMaintenancePorts } from "../../src/sim/ports/sim-maintenance.js";
import { memoryLogger } from "../daemon/fakes.js";

const T0 = Date.parse("2026-03-10T12:00:00Z");
const MIN = 60_000;
const BOOT = { id: "0b5e2a1c-1111-4222-8333-944455556666", since: T0 - 10 * MIN };

describe("when a boot asks for the count", () => {
  it.each([
    ["the journal has no boot yet", null, null, new Set<string>(), null],
    ["no count ever: count after this boot", BOOT, null, new Set<string>(), "after boot 0b5e2a1c"],
    ["the last count was before the boot began", BOOT, BOOT.since - 1, new Set<string>(), "after boot 0b5e2a1c"],
    ["a count already ran in this boot (a daemon restart)", BOOT, BOOT.since + MIN, new Set<string>(), null],
    ["this process already counted in this boot (a wall clock stepped back since)", BOOT, BOOT.since - 1, new Set([BOOT.id]), null],
  ])("%s", (_title, boot, lastRunAt, asked, expected) => {
    expect(countDueAfterBoot(boot, lastRunAt, asked)).toBe(expected);
  });
});

describe("a count that cannot be taken", () => {
  it("reads unknown, with one warning that it could not count, never a crit", () => {
    const result = couldNotCount("psql exited 2: FATAL: password authentication failed", "kubectl -n songnodes exec postgres-0 -- psql …");
    expect(result.level).toBe("unknown");
    expect(result.findings.map((f) => [f.level, f.key])).toEqual([["warn", "data:could-not-count"]]);
    expect(result.findings[0]!.text).toMatch(/^could not count: psql exited 2/);
  });

  it.each([
    ["error", /^psql exited 2: psql: error: connection to server .* password authentication failed/],
    ["garbled", /^psql printed no single count: "WARNING: /],
  ] as const)("the simulated postgres-count-failing (%s) gives what the real psql would, and it reads as no count", async (output, reason) => {
    const node = createSongNodesNode({ start: T0, seed: 2, initial: "healthy" });
    const ports = createSimMaintenancePorts(node);
    const argv = ["psql", "-U", "musicdb_user", "-d", "musicdb", "-At", "-v", "ON_ERROR_STOP=1", "-c", "SELECT COUNT(*) FROM tracks"];
    const target = { namespace: "songnodes", pod: "postgres-0", container: "postgres" };
    const limits = { timeoutMs: MIN, maxOutputBytes: 4096 };
    expect(parseCount(await ports.exec.exec(target, argv, limits, new AbortController().signal))).toBe(48_213);
    node.inject({ fault: "postgres-count-failing", output });
    expect(parseCount(await ports.exec.exec(target, argv, limits, new AbortController().signal))).toMatch(reason);
  });
});

const answer = (over: Partial<ExecResult>): ExecResult => ({ exitCode: 0, stdout: "", stderr: "", timedOut: false, error: null, ...over });

function rig(answers: ExecResult[], healthy: { now: boolean }, boot: () => typeof BOOT | null = () => BOOT) {
  let now = T0;
  const clock = { now: () => now };
  const journal = openJournal(":memory:", clock);
  const store = journal.maintenance!;
  const asked: string[][] = [];
  const exec: PodExec = { exec: async (_target, argv) => (asked.push([...argv]), answers.shift() ?? answer({ error: "no answer left" })) };
  const settings = parseConfig({ maintenance: { dataIntegrity: { enabled: true, dropPercent: 1 } } }).maintenance.dataIntegrity;
  const check = createDataIntegrityCheck({ exec, store, namespace: "songnodes", now: clock.now, settings, boot });
  const logger = memoryLogger();
  // Once a year: only the boot can start it in these tests.
  const schedule = parseCron("0 3 1 1 *") as CronSchedule;
  const runner = createMaintenanceRunner({ checks: [{ check, schedule }], store, clock, logger, timeZone: "UTC", timeoutMs: MIN, nodeHealthy: () => healthy.now });
  return { runner, store, asked, logger, advance: (ms: number) => void (now += ms) };
}

describe("the runner and the count after a boot", () => {
  it("holds the count while the node is not healthy, runs it once when it is, and compares with the count before the boot", async () => {
    const healthy = { now: false };
    const r = rig([answer({ stdout: "47013\n" })], healthy);
    r.store.recordCount("SELECT COUNT(*) FROM tracks", 48_213, BOOT.since - 60 * MIN);
    expect(await r.runner.runTriggered()).toEqual([]);
    expect(await r.runner.runDue()).toEqual([]);
    expect(r.asked).toEqual([]);
    healthy.now = true;
    const [run] = await r.runner.runTriggered();
    expect(run?.why).toBe("after boot 0b5e2a1c");
    expect(run?.level).toBe("crit");
    expect(run?.findings[0]?.text).toMatch(/fell from 48213 to 47013 \(2\.5 %, more than 1 %\)/);
    expect(run?.findings[0]?.next).toMatch(/restore procedure \(docs\/runbook\.md/);
    r.advance(MIN);
    expect(await r.runner.runTriggered()).toEqual([]);
    expect(await r.runner.runDue()).toEqual([]);
    expect(r.asked).toHaveLength(1);
    expect(r.logger.lines.filter((l) => l.level === "error")).toHaveLength(1);
  });

  it("a count asked for while healthy, held back because the node fell ill before its turn, is asked again when it is healthy", async () => {
    const healthy = { now: true };
    let looks = 0;
    // The node falls ill right after the first look at the boot: between the ask and the run.
    const r = rig([answer({ stdout: "48213\n" })], healthy, () => (looks++ === 0 ? void (healthy.now = false) : undefined, BOOT));
    expect(await r.runner.runTriggered()).toEqual([]);
    expect(r.asked).toEqual([]);
    healthy.now = true;
    const runs = await r.runner.runTriggered();
    expect(runs.map((run) => run.why)).toEqual(["after boot 0b5e2a1c"]);
    expect(await r.runner.runTriggered()).toEqual([]);
    expect(r.asked).toHaveLength(1);
  });

  it("a failed exec is said once at warning and never as crit", async () => {
    const r = rig([answer({ error: "pods \"postgres-0\" not found" })], { now: true });
    const [run] = await r.runner.runTriggered();
    expect(run?.level).toBe("unknown");
    expect(r.logger.lines.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([
      expect.stringMatching(/^maintenance data-integrity warn: could not count: cannot run the count: pods "postgres-0" not found/),
    ]);
    expect(r.logger.lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("an operator's run is never held back by the node's health", async () => {
    const r = rig([answer({ stdout: "48213\n" })], { now: false });
    const run = await r.runner.runNow("data-integrity", "by operator (test)");
    expect(run?.level).toBe("ok");
  });
});

describe("the older integrity section", () => {
  it("turns on the same count, its tolerance a fraction of the rows", () => {
    const config = parseConfig({ integrity: { enabled: true, user: "reader", tolerance: 0.01, query: "SELECT COUNT(*) FROM tracks;" } });
    const settings = dataCountSettings(config);
    expect(settings).toMatchObject({ enabled: true, user: "reader", dropPercent: 1, query: "SELECT COUNT(*) FROM tracks;", afterBoot: true, pod: "postgres-0" });
    const journal = openJournal(":memory:", { now: () => T0 });
    const none = { error: "unused" };
    const ports = { kube: {} as never, host: { usage: async () => none }, exec: { exec: async () => answer({}) } };
    expect(buildChecks(config, ports, journal.maintenance!, { now: () => T0 }).filter((c) => c.check.name === "data-integrity")).toHaveLength(1);
  });

  it("is refused when the count is also turned on under maintenance, naming both keys", () => {
    expect(() => parseConfig({ integrity: { enabled: true }, maintenance: { dataIntegrity: { enabled: true } } })).toThrow(/integrity\.enabled.*maintenance\.dataIntegrity\.enabled/s);
  });

  it("is refused when the maintenance scheduler it runs in is off", () => {
    expect(() => parseConfig({ integrity: { enabled: true }, maintenance: { enabled: false } })).toThrow(/integrity\.enabled is true but the maintenance scheduler is off/);
  });

  it("with both off, there is no count", () => {
    expect(dataCountSettings(parseConfig({})).enabled).toBe(false);
  });
});

describe("a trigger that throws", () => {
  it("is logged and reads as no reason to run: the check still runs on its schedule", async () => {
    const logger = memoryLogger();
    const check = { name: "broken", cadence: "weekly" as const, run: async () => ({ level: "ok" as const, reason: "", next: null, findings: [] }), trigger: async () => { throw new Error("list exploded"); } };
    expect(await askTrigger(check, { lastRunAt: null, timeoutMs: MIN, stop: new AbortController().signal, logger })).toBeNull();
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([["warn", "maintenance broken: its trigger failed: list exploded"]]);
  });
});
