// One truth in every view: the same simulated node, looked at by the running daemon (`status`,
// GET /v1/status, /metrics), by `check`, and by the served simulator (GET /v1/node), gets the same
// verdict and the same cause, and each names the cause.
import { describe, expect, it } from "vitest";
import { checkReportJson, formatCheckReport } from "../../src/cli/format/check-report.js";
import { createPaint } from "../../src/cli/format/colour.js";
import { renderStatus } from "../../src/cli/format/status-text.js";
import { parseConfig } from "../../src/config/load.js";
import { judge } from "../../src/core/judge.js";
import type { Readings } from "../../src/core/observe.js";
import { PROBE_NAMES } from "../../src/core/types.js";
import { verdictLine, type NodeVerdict } from "../../src/core/verdict.js";
import { createLoop } from "../../src/daemon/loop.js";
import { createStatusSource } from "../../src/daemon/status-source.js";
import type { Fault } from "../../src/sim/model/faults.js";
import { createSongNodesNode, type SongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimActions } from "../../src/sim/ports/sim-actions.js";
import { createSimProbes } from "../../src/sim/ports/sim-probes.js";
import { createModelVerdict } from "../../src/sim/serve/model-verdict.js";
import { renderMetrics } from "../../src/status/metrics.js";
import { buildStatusView } from "../../src/status/status-view.js";
import { memoryLogger } from "../daemon/fakes.js";

const START = Date.parse("2025-11-14T02:30:00Z");
const config = parseConfig({});

interface Views {
  status: string;
  statusJson: NodeVerdict;
  metrics: string;
  check: string;
  checkJson: { verdict: string; cause: string };
  simulator: NodeVerdict;
}

/** Run the daemon's loop on the node for `seconds` (after `prepare`), then read every view. */
async function views(prepare: (node: SongNodesNode) => void, seconds: number): Promise<Views> {
  const node = createSongNodesNode({ start: START, seed: 1, initial: "healthy" });
  let now = START;
  const clock = { now: () => now };
  const probes = createSimProbes(node, config);
  // dryRun: the daemon must not heal the node while the views are compared.
  const policy = parseConfig({ dryRun: true });
  const loop = createLoop({ config: policy, probes, actions: createSimActions(node, config.k3s.unit).actions as never, logger: memoryLogger(), clock, bootId: node.runtime.bootId() });
  prepare(node);
  for (now = START; now <= START + seconds * 1000; now += config.timing.tick) {
    node.advance(now);
    await loop.iterate(now);
  }
  now -= config.timing.tick;
  const source = createStatusSource({ loop, config: policy, bootId: node.runtime.bootId(), bootStartedAt: START, startedAt: START, clock, wake() {}, actionCounts: () => [] });
  const view = buildStatusView(source.snapshot(now), now);
  const readings = Object.fromEntries(await Promise.all(PROBE_NAMES.map(async (name) => [name, await probes[name].read(new AbortController().signal)]))) as Readings;
  const judgement = judge(config, readings, now);
  const paint = createPaint(false);
  return {
    status: renderStatus(view, paint),
    statusJson: JSON.parse(JSON.stringify(view)).verdict,
    metrics: renderMetrics(view),
    check: formatCheckReport(config, judgement, now, false),
    checkJson: checkReportJson(config, judgement),
    simulator: await createModelVerdict(node)(),
  };
}

/** The text as one line, for a cause that wrapped at 80 columns. */
const unwrapped = (text: string) => text.replace(/\n +/g, " ");

function expectAgreement(v: Views, verdict: string, cause: string): void {
  const line = verdictLine({ verdict: verdict as NodeVerdict["verdict"], cause, detail: "" });
  expect(v.statusJson).toMatchObject({ verdict, cause });
  expect(v.simulator).toMatchObject({ verdict, cause });
  expect(v.checkJson).toMatchObject({ verdict, cause });
  // The headlines (the JSON above pins the cause exactly; a long one wraps at 80 columns).
  expect(unwrapped(v.status).startsWith(`● songnodes-watchdog — ${line}`)).toBe(true);
  expect(unwrapped(v.check).startsWith(`check: ${line}`)).toBe(true);
  expect(v.metrics).toContain(`songnodes_watchdog_verdict{verdict="${verdict}"} 1`);
  expect(v.metrics.match(/^songnodes_watchdog_verdict\{.*\} 1$/gm)).toHaveLength(1);
  expect(v.metrics).toContain(`songnodes_watchdog_verdict_cause_info{verdict="${verdict}",cause="${cause}"} 1`);
}

const inject = (fault: Fault) => (node: SongNodesNode) => node.inject(fault);

describe("one truth in every view", () => {
  it("a healthy node: healthy, every probe ok, in status, check, /v1/status, /metrics and the simulator", async () => {
    expectAgreement(await views(() => {}, 90), "healthy", "every probe ok");
  });

  it("the registry down with no pod waiting on it: degraded, and each view names the registry", async () => {
    const v = await views(inject({ fault: "registry-down", fixedByRestart: true }), 30);
    expectAgreement(v, "degraded", "the registry is down; no pod is waiting on it");
    // Before: status said "healthy" beside "registry bad".
    expect(v.status).toMatch(/registry +bad/);
    expect(v.status).not.toMatch(/— healthy/);
  });

  it("the registry down while a pod cannot pull from it: unhealthy, naming the registry and the pod count", async () => {
    const v = await views((node) => {
      node.inject({ fault: "registry-down", fixedByRestart: true });
      const restApi = node.store.list("pods", "songnodes").items.find((p) => p.metadata.name.startsWith("rest-api-"))!;
      node.store.requestDelete("pods", "songnodes", restApi.metadata.name, { gracePeriodSeconds: 0 });
    }, 60);
    expectAgreement(v, "unhealthy", "the registry is down; 1 pod(s) cannot pull from it");
    expect(v.statusJson.detail).toMatch(/waiting: rest-api-/);
  });

  it("k3s down: unhealthy, k3s is not running, in every view", async () => {
    expectAgreement(await views(inject({ fault: "k3s-fails-to-start", times: 100 }), 20), "unhealthy", "k3s is not running");
  });
});
