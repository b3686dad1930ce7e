// The runbook checks run outside the loop, once when the node becomes healthy, and say each finding once.
import { describe, expect, it } from "vitest";
import { createCheckRunner } from "../../src/runbook-checks/check-runner.js";
import { cannotLook, resultOf, type CheckResult, type Finding, type RunbookCheck } from "../../src/runbook-checks/check-result.js";

const QUIET = { debug() {}, info() {}, warn() {}, error() {} };
const finding = (key: string, level: Finding["level"] = "crit"): Finding => ({ key, level, text: `text ${key}`, next: `fix ${key}` });

/** A check that answers from a list, one answer a run, and counts its runs. */
function scripted(answers: (CheckResult | "hang")[]): RunbookCheck & { runs: number } {
  const check = {
    name: "boot-enablement",
    runs: 0,
    run: async (): Promise<CheckResult> => {
      const answer = answers[Math.min(check.runs++, answers.length - 1)]!;
      if (answer === "hang") return new Promise<CheckResult>(() => undefined);
      return answer;
    },
  };
  return check;
}

function rig(check: RunbookCheck, timeoutMs = 1_000) {
  const notes: { level: string; key: string; message: string }[] = [];
  const runner = createCheckRunner({ checks: [check], journal: { recordNote: (level, key, message) => void notes.push({ level, key, message }) }, logger: QUIET, clock: { now: () => 0 }, timeoutMs });
  return { runner, notes };
}

describe("the runbook check runner", () => {
  it("a finding is said once while it lasts, at err for crit, and again when it comes back", async () => {
    const ok = resultOf([], "fine");
    const bad = resultOf([finding("k3s-disabled")], "fine");
    const check = scripted([bad, bad, ok, bad]);
    const { runner, notes } = rig(check);
    for (let i = 0; i < 4; i++) await runner.runAll("test");
    expect(notes).toEqual([
      { level: "err", key: "check:boot-enablement:k3s-disabled", message: "text k3s-disabled (run: fix k3s-disabled)" },
      { level: "err", key: "check:boot-enablement:k3s-disabled", message: "text k3s-disabled (run: fix k3s-disabled)" },
    ]);
    expect(check.runs).toBe(4);
  });

  it("warn is said at warning; a check that could not look keeps what it said", async () => {
    const check = scripted([resultOf([finding("pdb", "warn")], "fine"), cannotLook("API down"), resultOf([finding("pdb", "warn")], "fine")]);
    const { runner, notes } = rig(check);
    for (let i = 0; i < 3; i++) await runner.runAll("test");
    expect(notes.map((n) => n.level)).toEqual(["warning"]);
    expect(runner.results()[0]?.result.level).toBe("warn");
  });

  it("runs once when the node becomes healthy, not on every healthy iteration", async () => {
    const check = scripted([resultOf([], "fine")]);
    const { runner } = rig(check);
    for (const phase of ["waiting-for-k3s", "healthy", "healthy", "healthy"]) runner.observePhase(phase);
    await runner.runAll("join");
    expect(check.runs).toBe(1);
    runner.observePhase("recovering");
    runner.observePhase("healthy");
    await runner.runAll("join");
    expect(check.runs).toBe(2);
  });

  it("a check that never answers gives unknown at its timeout, and a second run never overlaps the first", async () => {
    const check = scripted(["hang"]);
    const { runner } = rig(check, 50);
    const first = runner.runAll("one");
    const second = runner.runAll("two");
    expect(second).toBe(first);
    const [record] = await first;
    expect(record?.result).toEqual({ level: "unknown", reason: "no answer within 0.05 s", next: null, findings: [] });
    expect(check.runs).toBe(1);
  });

  it("after close nothing runs and nothing is said", async () => {
    const check = scripted([resultOf([finding("x")], "fine")]);
    const { runner, notes } = rig(check);
    runner.close();
    await runner.runAll("late");
    runner.observePhase("healthy");
    expect(check.runs).toBe(0);
    expect(notes).toEqual([]);
  });
});
