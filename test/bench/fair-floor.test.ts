// The fair floor keeps the runbook's own hold-off and counts only runs that do what the scenario
// allows; the floor table says how many scenarios are within 10 % of it.
import { describe, expect, it } from "vitest";
import type { Observations, PodView } from "../../src/core/types.js";
import { admissible, breaches } from "../../bench/recovery/admissible.js";
import type { ScenarioResult } from "../../bench/recovery/catalog-run.js";
import type { RunMetrics } from "../../bench/recovery/drive.js";
import { formatFloorTable } from "../../bench/recovery/floor-table.js";
import { planDecide, RUNBOOK_TERMINATING_MS } from "../../bench/recovery/oracle.js";
import { floorRatios } from "../../bench/recovery/summary.js";
import { loadScenario } from "../../src/sim/scenario/load.js";

const NOW = Date.parse("2025-11-14T10:30:00Z");
const ok = { status: "ok" as const, reason: "ok", since: NOW - 600_000 };
const terminating = (deletedAgoMs: number, over: Partial<PodView> = {}): PodView => ({
  namespace: "songnodes", name: "websocket-api-abc", uid: "u1", phase: "Running", display: "Terminating", ready: false,
  owner: { kind: "ReplicaSet", name: "websocket-api-rs" }, nodeName: "n", createdAt: null, startedAt: null, deletionAt: NOW - deletedAgoMs,
  unknown: null, waiting: null, pullFailure: null, pulling: false, pullsLocal: false, failedReason: null, finalizers: [], restarts: 0, ...over,
});
const withPods = (pods: PodView[]): Observations => ({
  k3sUnit: { ...ok, detail: null }, containerdSocket: { ...ok, detail: null }, api: { ...ok, detail: null }, nodes: { ...ok, detail: null },
  pods: { ...ok, status: "bad", detail: { pods } }, registry: { ...ok, detail: null }, k3sLog: { ...ok, detail: null },
}) as unknown as Observations;
const step = (runbook: boolean, pods: PodView[]) =>
  planDecide({ k3s: "none", registry: false, pods: true, runbook })({ k3sDone: false, registryDown: false, deleted: [] }, { observations: withPods(pods), finished: [], requests: [] }, NOW).commands;

const run = (over: Partial<RunMetrics>): RunMetrics => ({
  scenario: "s", contender: "c", troubleAt: 0, detectMs: 0, healthyMs: 60_000, endedHealthy: true,
  actions: { "restart-k3s": 0, "killall-k3s": 0, "restart-registry": 0, "delete-pods": 0 }, podsDeleted: 0, deletedPods: [],
  podLateness: [], iterations: 1, wallMs: 1, ...over,
});

describe("the fair floor's instant plans", () => {
  it("force-delete a pod Terminating for 4 minutes only without the runbook's hold-off", () => {
    expect(step(false, [terminating(4 * 60_000)]).map((c) => c.kind)).toEqual(["delete-pods"]);
    expect(step(true, [terminating(4 * 60_000)])).toEqual([]);
  });
  it("force-delete it once it has been Terminating for more than the runbook's 5 minutes", () => {
    expect(step(true, [terminating(RUNBOOK_TERMINATING_MS + 1_000)]).map((c) => c.kind)).toEqual(["delete-pods"]);
  });
  it("treat a NodeLost pod with a deletion timestamp as the runbook's Unknown pod: no hold-off", () => {
    expect(step(true, [terminating(10_000, { unknown: "node-lost", display: "Unknown" })]).map((c) => c.kind)).toEqual(["delete-pods"]);
  });
});

describe("a run the fair floor may count", () => {
  const noActions = loadScenario("clock-jump-while-k3s-starts");
  const reboot = loadScenario("reboot");
  it("does nothing in a scenario that forbids every action", () => {
    expect(admissible(noActions, run({}))).toBe(true);
    expect(breaches(noActions, run({ actions: { "restart-k3s": 0, "killall-k3s": 0, "restart-registry": 0, "delete-pods": 1 }, podsDeleted: 11 }))).toContain("delete-pods ×1 where no action is allowed");
  });
  it("deletes no more of a workload's pods than the scenario names", () => {
    const two = run({ actions: { "restart-k3s": 0, "killall-k3s": 0, "restart-registry": 0, "delete-pods": 1 }, deletedPods: ["rest-api-x", "frontend-y"] });
    expect(admissible(reboot, two)).toBe(true);
    expect(breaches(reboot, { ...two, deletedPods: ["rest-api-x", "frontend-y", "postgres-0"] })).toEqual([]);
    expect(breaches(reboot, { ...two, deletedPods: ["rest-api-x", "rest-api-z", "frontend-y"] })).toEqual(["deleted rest-api* ×2 > 1"]);
  });
});

describe("the floor ratios", () => {
  const result = (scenario: string, fairMs: number | null, daemonMs: number | null): ScenarioResult => ({
    scenario, floor: { healthyMs: fairMs, plan: "p" }, fairFloor: { healthyMs: fairMs, plan: "p" },
    runs: [run({ scenario, contender: "daemon", healthyMs: daemonMs, endedHealthy: daemonMs !== null })],
  });
  const results = [result("a", 100_000, 110_000), result("b", 100_000, 112_000), result("c", 100_000, null), result("d", 0, 0), result("e", null, null)];
  it("count within 10 % plus 1 s, leave out report-only scenarios and those without a floor", () => {
    expect(floorRatios(results).map((r) => [r.scenario, r.within])).toEqual([["a", true], ["b", false], ["c", false]]);
  });
  it("print each scenario's ratio and the count", () => {
    const table = formatFloorTable(results, ["daemon"]);
    expect(table).toContain("| a | 1m40s | 1m50s | 1.10× |");
    expect(table).toContain("| b | 1m40s | 1m52s | 1.12× * |");
    expect(table).toContain("| c | 1m40s | — | NOT * |");
    expect(table).toContain("daemon: 1 of 3 within 10 % of the fair floor");
    expect(table).toContain("never unhealthy (report-only; floor 0): d");
    expect(table).toContain("no floor (no plan and no contender ends healthy): e");
  });
});
