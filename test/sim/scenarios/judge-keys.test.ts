// The expectation keys that can fail on more than a maximum: exact counts, sliding windows, quiet
// spans, how often a thing is said, the order of phases, and deletions counted per pod object.
import { describe, expect, test } from "vitest";
import type { Phase, RemedyCommand, RemedyKind } from "../../../src/core/types.js";
import type { ActionCall } from "../../../src/sim/ports/sim-actions.js";
import { busiestWindow, judge, type RunFacts } from "../../../src/sim/scenario/judge.js";
import { parseScenario } from "../../../src/sim/scenario/load.js";

const START = Date.parse("2025-11-14T10:30:00Z");
const MIN = 60_000;

const call = (kind: RemedyKind, minute: number, pods: { name: string; uid: string }[] = []): ActionCall => {
  const command = (kind === "delete-pods"
    ? { kind, why: "w", pods: pods.map((p) => ({ namespace: "songnodes", name: p.name, uid: p.uid, force: false, why: "w" })) }
    : kind === "restart-k3s" ? { kind, resetFailed: false, why: "w" } : { kind, why: "w" }) as RemedyCommand;
  return { at: START + minute * MIN, kind, command, report: { ok: true, detail: "", touched: pods.map((p) => `songnodes/${p.name}`) } };
};

const facts = (over: Partial<RunFacts>): RunFacts => ({
  calls: [], start: START, firstHealthy: null, finalPhase: "healthy", finalNodeHealthy: true, finalSummary: "",
  phasesSeen: new Set(over.phaseLog ?? []), announcements: [], decided: [], phaseLog: [], announcementLevels: [], ...over,
});

/** Parse `expect` the way a scenario file is parsed (durations in words), then judge. */
const verdicts = (expectations: Record<string, unknown>, run: RunFacts) =>
  judge(parseScenario({ name: "x", description: "d", runbook: "r", duration: "1h", expect: expectations }, "t.yaml").expect, run);
const failed = (expectations: Record<string, unknown>, run: RunFacts) => verdicts(expectations, run).filter((v) => !v.ok).map((v) => v.expectation);

describe("expectations that say exactly what is right", () => {
  test("the busiest sliding window counts actions in [t, t + window)", () => {
    expect(busiestWindow([0, 10, 59, 60, 70].map((m) => m * MIN), 60 * MIN)).toEqual({ count: 3, from: 0 });
    expect(busiestWindow([], MIN)).toEqual({ count: 0, from: null });
  });

  test("four k3s restarts inside an hour break a budget of 3 per hour; spread over two hours they do not", () => {
    const dense = facts({ calls: [1, 20, 40, 59].map((m) => call("restart-k3s", m)) });
    const spread = facts({ calls: [1, 20, 40, 61].map((m) => call("restart-k3s", m)) });
    const key = { maxActionsInWindow: { "restart-k3s": { max: 3, window: "1h" } } };
    expect(failed(key, dense)).toEqual(["at most 3 × restart-k3s in any 1h"]);
    expect(failed(key, spread)).toEqual([]);
  });

  test("actionsExactly fails on one too few and one too many", () => {
    const two = facts({ calls: [call("restart-k3s", 1), call("restart-k3s", 5)] });
    expect(failed({ actionsExactly: { "restart-k3s": 2, "killall-k3s": 0 } }, two)).toEqual([]);
    expect(failed({ actionsExactly: { "restart-k3s": 1 } }, two)).toEqual(["exactly 1 × restart-k3s"]);
    expect(failed({ actionsExactly: { "restart-k3s": 3 } }, two)).toEqual(["exactly 3 × restart-k3s"]);
  });

  test("noActionBetween takes one span or a list of them, ends included", () => {
    const run = facts({ calls: [call("restart-registry", 5)] });
    expect(failed({ noActionBetween: ["2m", "4m"] }, run)).toEqual([]);
    expect(failed({ noActionBetween: ["2m", "5m"] }, run)).toEqual(["no action between +2m and +5m"]);
    expect(failed({ noActionBetween: [["0s", "1m"], ["5m", "6m"]] }, run)).toEqual(["no action between +5m and +6m"]);
  });

  test("a thing said 14 times fails 'at most once'; exact counts and err level are judged apart", () => {
    const said = Array.from({ length: 14 }, () => "rest-api is in CrashLoopBackOff");
    const run = facts({ announcements: [...said, "gave up on k3s"], announcementLevels: [...said.map(() => "warning"), "err"] });
    expect(failed({ announcesAtMost: { crashloopbackoff: 1 } }, run)).toEqual(['announces "crashloopbackoff" at most 1 time(s)']);
    expect(failed({ announcesExactly: { "gave up": 1, CrashLoopBackOff: 14 } }, run)).toEqual([]);
    expect(failed({ errAnnouncementsExactly: { "gave up": 1, CrashLoopBackOff: 0 } }, run)).toEqual([]);
    expect(failed({ errAnnouncementsExactly: { CrashLoopBackOff: 1 } }, run)).toEqual(['announces "CrashLoopBackOff" at err exactly 1 time(s)']);
    expect(failed({ neverAnnounces: "gave up" }, run)).toEqual(['never announces "gave up"']);
  });

  test("phasesInOrder accepts phases between and refuses the wrong order; neverVisits names the phase", () => {
    const phaseLog: Phase[] = ["healthy", "waiting-for-k3s", "recovering", "waiting-for-api", "healthy"];
    const run = facts({ phaseLog });
    expect(failed({ phasesInOrder: ["healthy", "recovering", "healthy"] }, run)).toEqual([]);
    expect(failed({ phasesInOrder: ["recovering", "waiting-for-k3s"] }, run)).toEqual(["phases in order: recovering → waiting-for-k3s"]);
    expect(failed({ neverVisits: ["gave-up", "recovering"] }, run)).toEqual(["never recovering"]);
  });

  test("deletions are counted per pod object: a replacement with the same name is another pod", () => {
    const run = facts({ calls: [
      call("delete-pods", 1, [{ name: "rest-api-0", uid: "u1" }]),
      call("delete-pods", 9, [{ name: "rest-api-0", uid: "u2" }]),
    ] });
    expect(failed({ deletionsExactly: { "rest-api": 2 }, deletesEachAtMost: 1 }, run)).toEqual([]);
    const twice = facts({ calls: [call("delete-pods", 1, [{ name: "rest-api-0", uid: "u1" }]), call("delete-pods", 2, [{ name: "rest-api-0", uid: "u1" }])] });
    expect(failed({ deletionsExactly: { "rest-api": 2 }, deletesEachAtMost: 1 }, twice)).toEqual(["deletes exactly 2 pod object(s) rest-api*", "no pod object deleted more than 1 time(s)"]);
  });

  test("a span that ends before it starts is refused with its key", () => {
    expect(() => verdicts({ noActionBetween: ["5m", "2m"] }, facts({}))).toThrow(/noActionBetween/);
  });
});

describe("expectations on the maintenance checks' runs", () => {
  const run = (minute: number, why: string, phase: string | null) => ({ check: "data-integrity", at: START + minute * MIN, why, level: "ok", phase });

  test("a count after the boot: exactly one, within its span, whose reason names the boot", () => {
    const key = { checkRunsExactly: [{ check: "data-integrity", times: 1, between: ["3m", "30m"], why: "after boot" }] };
    expect(failed(key, facts({ checkRuns: [run(1, "after boot aaaa1111", "healthy"), run(12, "after boot bbbb2222", "healthy")] }))).toEqual([]);
    expect(failed(key, facts({ checkRuns: [run(1, "after boot aaaa1111", "healthy")] }))).toEqual(['data-integrity runs "after boot" between +3m and +30m exactly 1 time(s)']);
    expect(failed(key, facts({ checkRuns: [run(12, "after boot bbbb2222", "healthy"), run(13, "after boot bbbb2222", "healthy")] }))).toHaveLength(1);
    expect(failed(key, facts({ checkRuns: [run(12, "scheduled", "healthy")] }))).toHaveLength(1);
  });

  test("a count begun while the daemon saw the node recovering, or before its first iteration, breaks checkRunsOnlyWhenHealthy", () => {
    const key = { checkRunsOnlyWhenHealthy: ["data-integrity"] };
    expect(failed(key, facts({ checkRuns: [run(12, "after boot b", "healthy")] }))).toEqual([]);
    expect(failed(key, facts({ checkRuns: [run(5, "scheduled", "pods-converging")] }))).toEqual(["data-integrity never runs while the daemon does not see the node healthy"]);
    expect(failed(key, facts({ checkRuns: [run(5, "catch-up", null)] }))).toHaveLength(1);
  });
});
