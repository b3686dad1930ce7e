// Running a scenario: the daemon's real loop (src/daemon/loop.ts, the real decision core and
// journal) against the node model on a virtual clock. Each tick the model advances to the tick's
// node time, then the loop iterates once; faults and operator requests land at their times. A
// reboot stops the daemon with the node and starts a new one, with the same journal, at boot.
import { parseConfig } from "../../config/load.js";
import type { Phase, ProbeName } from "../../core/types.js";
import { createLoop, type Loop } from "../../daemon/loop.js";
import type { Journal } from "../../journal/types.js";
import type { Logger } from "../../ports.js";
import { createSongNodesNode } from "../model/songnodes-node.js";
import { createSimActions } from "../ports/sim-actions.js";
import { createSimProbes } from "../ports/sim-probes.js";
import { judge, type RunFacts, type Verdict } from "./judge.js";
import type { Scenario, ScenarioFault, ScenarioOperatorStep } from "./schema.js";
import { describeFault, describeOperator } from "./describe.js";

/** One line of the timeline. */
export interface TimelineEntry {
  /** Node time since the scenario's start, ms. */
  at: number;
  /** The daemon's phase at that moment (null while it is not running). */
  phase: Phase | null;
  kind: "fault" | "operator" | "node" | "observe" | "decide" | "action" | "announce" | "phase" | "daemon";
  text: string;
  outcome?: { ok: boolean; text: string };
  level?: "info" | "warning" | "err";
}

/** Everything a run produced. */
export interface ScenarioReport {
  name: string;
  description: string;
  runbook: string;
  seed: number;
  durationMs: number;
  wallMs: number;
  timeline: TimelineEntry[];
  verdicts: Verdict[];
  passed: boolean;
  finalPhase: Phase;
  finalNode: string;
}

const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {} };

type Scheduled = { at: number; fault: ScenarioFault } | { at: number; operator: ScenarioOperatorStep };

/** Run `scenario`; `onEntry` sees each timeline line as it happens. */
export async function runScenario(scenario: Scenario, onEntry?: (entry: TimelineEntry) => void): Promise<ScenarioReport> {
  const wallStart = performance.now();
  const config = parseConfig(scenario.config, `scenario ${scenario.name}: config`);
  const start = Date.parse(scenario.startAt);
  const node = createSongNodesNode({ start, seed: scenario.seed, initial: scenario.start, restartMode: scenario.k3sRestartMode });
  const probes = createSimProbes(node, config);
  const sim = createSimActions(node, config.k3s.unit);
  let now = start;
  // The daemon reads the node's clocks: wall time (which a clock-jump fault steps) and monotonic time.
  const clock = { now: () => now + node.clock.offset(), monotonic: () => node.clock.monotonic() };
  const timeline: TimelineEntry[] = [];
  let phase: Phase | null = null;
  const push = (entry: Omit<TimelineEntry, "at" | "phase">, at = node.now()): void => {
    const full = { at: at - start, phase, ...entry };
    timeline.push(full);
    onEntry?.(full);
  };
  node.onNote((text) => push({ kind: "node", text }));

  let journal: Journal | undefined;
  let loop: Loop | null = null;
  const startDaemon = (why: string): Loop => {
    const created = createLoop({ config, probes, actions: sim.actions as never, logger: QUIET, clock, bootId: node.runtime.bootId(), ...(journal ? { journal } : {}) });
    journal = created.journal;
    push({ kind: "daemon", text: `songnodes-watchdog starts (${why}); boot ${node.runtime.bootId().slice(0, 8)}, ${created.state().actions.length} remedies remembered from the journal` }, now);
    return created;
  };

  const agenda: Scheduled[] = [
    ...scenario.faults.map((fault) => ({ at: start + fault.at, fault })),
    ...scenario.operator.map((operator) => ({ at: start + operator.at, operator })),
  ].sort((a, b) => a.at - b.at);
  const facts: RunFacts = {
    calls: sim.calls, start, firstHealthy: null, finalPhase: "waiting-for-k3s", finalNodeHealthy: false, finalSummary: "",
    phasesSeen: new Set(), announcements: [], decided: [], phaseLog: [], announcementLevels: [],
  };
  let lastStatus: Partial<Record<ProbeName, string>> = {};
  const end = start + scenario.duration;
  const lastFaultAt = Math.max(start - 1, ...scenario.faults.map((fault) => start + fault.at));

  for (now = start; now <= end; now += config.timing.tick) {
    while (agenda.length > 0 && (agenda[0] as Scheduled).at <= now) {
      const item = agenda.shift() as Scheduled;
      node.advance(item.at);
      if ("fault" in item) {
        push({ kind: "fault", text: describeFault(item.fault) }, item.at);
        const { at: _at, ...fault } = item.fault;
        node.inject(fault);
      } else {
        push({ kind: "operator", text: describeOperator(item.operator) }, item.at);
        const step = item.operator;
        if ("pause" in step) loop?.request({ kind: "pause", until: item.at + step.pause, reason: step.reason });
        else if ("resume" in step) loop?.request({ kind: "resume", reason: step.resume });
        else if (loop) loop = startDaemon("restarted by systemd");
      }
    }
    node.advance(now);
    if (!node.runtime.poweredOn()) {
      if (loop) push({ kind: "daemon", text: "songnodes-watchdog stops with the node" }, now);
      loop = null;
      phase = null;
      lastStatus = {};
      continue;
    }
    loop ??= startDaemon(now === start ? "the scenario begins" : "the node booted");
    const report = await loop.iterate(clock.now());
    if (report.phase !== phase) {
      const from = phase;
      phase = report.phase;
      if (from !== null) push({ kind: "phase", text: `${from} → ${report.phase}` }, now);
    }
    for (const [name, observation] of Object.entries(report.observations) as [ProbeName, { status: string; reason: string }][]) {
      if (lastStatus[name] !== observation.status) push({ kind: "observe", text: `${name} ${observation.status}: ${observation.reason}` }, now);
      lastStatus[name] = observation.status;
    }
    facts.phasesSeen.add(report.phase);
    if (facts.phaseLog?.at(-1) !== report.phase) facts.phaseLog?.push(report.phase);
    let outcomeIndex = 0;
    for (const command of report.commands) {
      if (command.kind === "announce") {
        facts.announcements.push(command.message);
        facts.announcementLevels?.push(command.level);
        push({ kind: "announce", text: command.message, level: command.level }, now);
        continue;
      }
      facts.decided.push({ kind: command.kind, pods: command.kind === "delete-pods" ? command.pods.map((p) => p.name) : [] });
      const outcome = report.outcomes[outcomeIndex++];
      const what = command.kind === "delete-pods" ? `delete-pods ${command.pods.map((p) => `${p.name}${p.force ? " (force)" : ""}`).join(", ")}` : command.kind;
      push({ kind: "action", text: `${what}: ${command.why}`, ...(outcome ? { outcome: { ok: outcome.ok, text: outcome.detail } } : {}) }, now);
    }
    // "Recovered by T": healthy counts only once every fault has struck.
    if (facts.firstHealthy === null && now > lastFaultAt && report.phase === "healthy" && node.healthy()) facts.firstHealthy = now - start;
    facts.finalPhase = report.phase;
  }
  facts.finalNodeHealthy = node.healthy();
  facts.finalSummary = node.summary();
  const verdicts = judge(scenario.expect, facts);
  return {
    name: scenario.name, description: scenario.description, runbook: scenario.runbook, seed: scenario.seed,
    durationMs: scenario.duration, wallMs: performance.now() - wallStart, timeline, verdicts,
    passed: verdicts.every((v) => v.ok), finalPhase: facts.finalPhase, finalNode: facts.finalSummary,
  };
}
