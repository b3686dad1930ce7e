// The resilience audit as a maintenance check: weekly on the scheduler, and after each rollout,
// which its trigger sees as a changed workload generation. It only ever reads.
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { rolloutOf, createResilienceAuditCheck } from "../../src/maintenance/checks/resilience-audit.js";
import { SONGNODES_CHECKLIST } from "../../src/audit/checklist.js";
import { parseCron, type CronSchedule } from "../../src/maintenance/cron-slots.js";
import { createMaintenanceRunner } from "../../src/maintenance/runner.js";
import type { RunbookKube } from "../../src/runbook-checks/kube-objects.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { simRunbookKube } from "../../src/sim/ports/sim-runbook-checks.js";
import { memoryLogger } from "../daemon/fakes.js";

const T0 = Date.parse("2025-11-14T10:30:00Z");

describe("what a rollout is", () => {
  it.each([
    ["nothing changed", "Deployment/rest-api@3,StatefulSet/postgres@1", "Deployment/rest-api@3,StatefulSet/postgres@1", null],
    ["rest-api's generation went up", "Deployment/rest-api@3,StatefulSet/postgres@1", "Deployment/rest-api@4,StatefulSet/postgres@1", "after a rollout (Deployment/rest-api)"],
    ["a workload was added", "Deployment/rest-api@3", "Deployment/frontend@1,Deployment/rest-api@3", "after a rollout (Deployment/frontend)"],
    ["a workload was removed", "Deployment/frontend@1,Deployment/rest-api@3", "Deployment/rest-api@3", "after a rollout (a workload removed)"],
  ])("%s", (_title, before, now, expected) => {
    expect(rolloutOf(before, now)).toBe(expected);
  });
});

describe("the scheduled audit", () => {
  it("runs once on its schedule, again only after a rollout, warns once for the missing probe, and never writes", async () => {
    let now = T0;
    const clock = { now: () => now };
    const node = createSongNodesNode({ start: T0, seed: 4, initial: "healthy" });
    const sim = simRunbookKube(node);
    const patches: string[] = [];
    // The full port, writes counted: the audit must never use them.
    const kube: RunbookKube = { list: sim.list, mergePatch: async (_r, _ns, name) => (patches.push(name), null) };
    const journal = openJournal(":memory:", clock);
    const logger = memoryLogger();
    const check = createResilienceAuditCheck({ kube, namespace: "songnodes", checklist: SONGNODES_CHECKLIST });
    const runner = createMaintenanceRunner({ checks: [{ check, schedule: parseCron("45 4 * * 0") as CronSchedule }], store: journal.maintenance!, clock, logger, timeZone: "UTC", timeoutMs: 60_000 });

    const first = await runner.runDue();
    expect(first.map((r) => [r.why, r.level])).toEqual([["first run", "ok"]]);
    now += 15 * 60_000;
    expect(await runner.runDue()).toEqual([]);

    node.inject({ fault: "spec-missing", workload: "rest-api", field: "livenessProbe" });
    now += 15 * 60_000;
    const after = await runner.runDue();
    expect(after.map((r) => [r.why, r.level])).toEqual([["after a rollout (Deployment/rest-api)", "warn"]]);
    expect(after[0]!.findings.map((f) => f.text)).toEqual(["resilience checklist: deploy/rest-api probes: set spec.template.spec.containers[rest-api].livenessProbe"]);
    now += 15 * 60_000;
    expect(await runner.runDue()).toEqual([]);
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([
      "maintenance audit warn: resilience checklist: deploy/rest-api probes: set spec.template.spec.containers[rest-api].livenessProbe; next: songnodes-watchdog audit",
    ]);
    expect(patches).toEqual([]);
  });

  it("an API that does not answer reads unknown and asks for no run", async () => {
    const kube: Pick<RunbookKube, "list"> = { list: async () => ({ error: "connect ECONNREFUSED 127.0.0.1:6443", notFound: false }) };
    const check = createResilienceAuditCheck({ kube, namespace: "songnodes", checklist: SONGNODES_CHECKLIST });
    expect(await check.trigger!({ lastRunAt: null, signal: new AbortController().signal })).toBeNull();
    const result = await check.run(new AbortController().signal);
    expect(result.level).toBe("unknown");
    expect(result.reason).toMatch(/ECONNREFUSED/);
  });
});
