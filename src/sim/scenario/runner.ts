// Running a scenario: the daemon's real loop (src/daemon/loop.ts, the real decision core and
// journal) against the node model on a virtual clock, stepped by events as the real daemon is.
// Time moves from one happening to the next, in order: a node transition, a fault or operator step
// of the scenario, or one of the daemon's wake-ups (its tick, the hold-off its core named, the
// debounced iteration after an event it hears; see daemon-wakeups.ts). A remedy takes node time
// while it is in flight, and the world goes on meanwhile: a fault, a reboot or a daemon restart can
// land in the middle of it. A reboot stops the daemon with the node and starts a new one, with the
// same journal, when the node is back.
import { parseConfig } from "../../config/load.js";
import type { Config } from "../../config/schema.js";
import type { Phase, ProbeName, RemedyCommand } from "../../core/types.js";
import { nodeVerdict } from "../../core/verdict.js";
import { createLoop, type IterationReport, type Loop } from "../../daemon/loop.js";
import { openJournal } from "../../journal/index.js";
import type { Journal } from "../../journal/types.js";
import type { Logger } from "../../ports.js";
import { createSongNodesNode, type SongNodesNode } from "../model/songnodes-node.js";
import { createSimActions, type ActionCall } from "../ports/sim-actions.js";
import { createSimProbes, polledSight } from "../ports/sim-probes.js";
import { unjustified } from "./justified-by.js";
import { createDaemonWakeups, DEBOUNCE_MS, WAKE_SLACK_MS, type DaemonWakeups } from "./daemon-wakeups.js";
import { describeFault, describeOperator } from "./describe.js";
import { createScenarioMaintenance } from "./maintenance-hook.js";
import { fencedJournal, type FencedJournal } from "./fenced-journal.js";
import { judge, type RunFacts, type Verdict } from "./judge.js";
import { createSimRunbookChecks } from "../ports/sim-runbook-checks.js";
import { createScenarioChecks } from "./scenario-checks.js";
import type { Scenario, ScenarioFault, ScenarioOperatorStep } from "./schema.js";

/** One line of the timeline. */
export interface TimelineEntry {
  /** Node time since the scenario's start, ms. */
  at: number;
  /** The daemon's phase at that moment (null while it is not running). */
  phase: Phase | null;
  kind: "fault" | "operator" | "node" | "observe" | "decide" | "action" | "announce" | "phase" | "daemon" | "maintenance";
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
  /** Every remedy that reached the node. */
  calls: ActionCall[];
}

/** What a run looks like from outside while it runs (the soak's invariants read it). */
export interface LiveRun {
  node: SongNodesNode;
  config: Config;
  journal: Journal;
  start: number;
  /** The running daemon's loop, or null while none runs. */
  loop(): Loop | null;
}

/** Optional hooks and modes for callers other than `simulate` (the soak). */
export interface RunOptions {
  /** Skip a tick when nothing the daemon could see changed since its last, quiet, iteration. */
  skipQuietTicks?: boolean;
  /** false: the daemon's quiet iterations never rest (src/core/rest.ts); the comparison of the tests. */
  rests?: boolean;
  /** After everything that happened at one node time (a transition, a fault, a tick), before any iteration. */
  onHappening?(at: number, run: LiveRun): void;
  /** After every iteration of the daemon. */
  onIteration?(report: IterationReport, run: LiveRun): void;
  /** Just before a remedy reaches the node. */
  beforeRemedy?(command: RemedyCommand, run: LiveRun): void;
  /** A daemon started, or was stopped (killed) with or without an action in flight. */
  onDaemon?(event: { kind: "start" | "stop"; at: number; inFlight: boolean }, run: LiveRun): void;
  /** When the run ends, before the journal is closed. */
  onEnd?(run: LiveRun): void;
  /** Keep the journal in this SQLite file instead of in memory (the soak checks it afterwards). */
  journalPath?: string;
}

const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {} };

type Scheduled = { at: number; fault: ScenarioFault } | { at: number; operator: ScenarioOperatorStep };

interface Daemon {
  loop: Loop;
  wakeups: DaemonWakeups;
  fence: FencedJournal;
  stop: AbortController;
  busy: boolean;
}

/** Run `scenario`; `onEntry` sees each timeline line as it happens. */
export async function runScenario(scenario: Scenario, onEntry?: (entry: TimelineEntry) => void, options: RunOptions = {}): Promise<ScenarioReport> {
  const wallStart = performance.now();
  const config = parseConfig(scenario.config, `scenario ${scenario.name}: config`);
  const start = Date.parse(scenario.startAt);
  const node = createSongNodesNode({ start, seed: scenario.seed, initial: scenario.start, pods: scenario.pods, restartMode: scenario.k3sRestartMode });
  const probes = createSimProbes(node, config);
  let now = start;
  // The daemon reads the node's clocks: wall time (which a clock-jump fault steps) and monotonic time.
  const clock = { now: () => now + node.clock.offset(), monotonic: () => node.clock.monotonic() };
  const journal = openJournal(options.journalPath ?? ":memory:", clock);
  let daemon: Daemon | null = null;
  const live: LiveRun = { node, config, journal, start, loop: () => daemon?.loop ?? null };

  // A remedy in flight asks for node time here; the run below lets the world go on until then.
  let inFlight: { until: number; resume: () => void } | null = null;
  let announceInFlight: (() => void) | null = null;
  const spend = (ms: number) => new Promise<void>((resume) => {
    inFlight = { until: now + ms, resume };
    announceInFlight?.();
  });
  // What the daemon saw when it decided each remedy that reaches the node, for `remediesJustified`.
  const unjustifiedRemedies: NonNullable<RunFacts["unjustified"]> = [];
  const sim = createSimActions(node, config.k3s.unit, {
    spend, seed: scenario.seed,
    before: (command) => {
      const seen = daemon?.loop.observations();
      const why = seen ? unjustified(command.kind, seen) : null;
      if (why !== null) unjustifiedRemedies.push({ kind: command.kind, at: now, why: `${why}: ${command.why}` });
      options.beforeRemedy?.(command, live);
    },
  });

  const timeline: TimelineEntry[] = [];
  let phase: Phase | null = null;
  const emit = (full: TimelineEntry): void => {
    timeline.push(full);
    onEntry?.(full);
  };
  // What happens while an iteration runs (the node's events while a remedy is in flight, a fault,
  // a maintenance finding) waits here until the iteration's own lines, which are stamped with the
  // earlier time it looked and acted, have been written: then both go out merged by time, so the
  // timeline never goes back (an action is not printed after the node events it caused).
  let held: TimelineEntry[] | null = null;
  const push = (entry: Omit<TimelineEntry, "at" | "phase">, at = node.now()): void => {
    const full = { at: at - start, phase, ...entry };
    if (held !== null) held.push(full);
    else emit(full);
  };
  const release = (own: TimelineEntry[]): void => {
    // Sorted (stably) first: an announcement of the iteration is stamped when it looked, which can be
    // before its second remedy reached the node.
    const later = (held ?? []).sort((a, b) => a.at - b.at);
    own.sort((a, b) => a.at - b.at);
    held = null;
    // Both lists are in time order; on a tie the iteration's line goes first (it caused the other).
    let i = 0;
    for (const entry of own) {
      while (i < later.length && (later[i] as TimelineEntry).at < entry.at) emit(later[i++] as TimelineEntry);
      emit(entry);
    }
    for (; i < later.length; i++) emit(later[i] as TimelineEntry);
  };
  node.onNote((text) => push({ kind: "node", text }));
  // The scheduled maintenance checks beside the loop (src/sim/scenario/maintenance-hook.ts), in the
  // scenarios whose config has a `maintenance` section: the others keep their runs as they were.
  const maintenance = createScenarioMaintenance(config, node, clock, (f) => push({ kind: "maintenance", text: `${f.check} ${f.level}: ${f.text}`, level: f.level === "crit" ? "err" : f.level === "warn" ? "warning" : "info" }, f.at), "maintenance" in scenario.config);

  // What the daemon hears as events: k3s's unit over D-Bus, and its pod and node watches.
  let heard = false;
  let seen = 0;
  node.unit.onChange(() => void ((heard = true), seen++));
  node.store.watch("pods", config.namespace, null, () => void ((heard = true), seen++));
  node.store.watch("nodes", null, null, () => void ((heard = true), seen++));
  // The daemon holds a connection to containerd's socket (src/probes/containerd-socket.ts): containerd
  // dying closes it, which the daemon hears as an event.
  let containerdAccepts = node.runtime.containerdSocket().accepts;
  const heardContainerd = (): void => {
    const accepts = node.runtime.containerdSocket().accepts;
    if (containerdAccepts && !accepts) void ((heard = true), seen++);
    containerdAccepts = accepts;
  };
  // What the daemon could see without an event (polled every tick), for skipping quiet ticks.
  const sight = (): string => `${seen}|${polledSight(node)}`;
  let lastQuiet: { sight: string; wakeAt: number | null } | null = null;
  // A tick's iteration runs after the debounce. Never skip one that reaches the core's wake-up, nor
  // the last one before the node changes: the real daemon sees every condition at that iteration,
  // and what it remembers of a condition (when it last saw it) must be as fresh as the real one's.
  const changesBy = (at: number): boolean => Math.min(agenda[0]?.at ?? Infinity, node.scheduler.nextDue() ?? Infinity) <= at;
  // Nor one whose iteration would set the hold-off timer: the real daemon sets it at the end of the
  // last iteration before the wake-up that is within a tick of it (src/daemon/scheduler.ts wakeAt),
  // so a skipped one would wake a whole tick late.
  const setsHoldOffTimer = (at: number, wakeAt: number): boolean => wakeAt - (at + DEBOUNCE_MS) + WAKE_SLACK_MS < config.timing.tick;
  const quietTick = (at: number): boolean =>
    options.skipQuietTicks === true && lastQuiet !== null && (lastQuiet.wakeAt === null || !setsHoldOffTimer(at, lastQuiet.wakeAt)) && sight() === lastQuiet.sight
    && !changesBy(at + config.timing.tick + DEBOUNCE_MS);

  const startDaemon = (why: string): void => {
    const fence = fencedJournal(journal);
    const stop = new AbortController();
    const loop = createLoop({ config, probes, actions: sim.actions as never, logger: QUIET, clock, bootId: node.runtime.bootId(), journal: fence.journal, stop: stop.signal, rests: options.rests });
    daemon = { loop, wakeups: createDaemonWakeups(now, config.timing.tick, quietTick), fence, stop, busy: false };
    runbookChecks.daemonStarted(fence.journal, now);
    lastQuiet = null;
    maintenance.attach(journal, clock.now());
    push({ kind: "daemon", text: `songnodes-watchdog starts (${why}); boot ${node.runtime.bootId().slice(0, 8)}, ${loop.state().actions.length} remedies remembered from the journal` }, now);
    options.onDaemon?.({ kind: "start", at: now, inFlight: false }, live);
  };
  // The process ends now: a dead process writes nothing more, and a remedy in flight is left to the node.
  const stopDaemon = (text: string): void => {
    if (!daemon) return;
    const wasBusy = daemon.busy;
    daemon.fence.fence();
    daemon.stop.abort();
    maintenance.detach();
    runbookChecks.daemonStopped();
    daemon = null;
    phase = null;
    lastStatus = {};
    push({ kind: "daemon", text: wasBusy ? `${text}, with a remedy in flight` : text }, now);
    options.onDaemon?.({ kind: "stop", at: now, inFlight: wasBusy }, live);
  };

  const agenda: Scheduled[] = [
    ...scenario.faults.map((fault) => ({ at: start + fault.at, fault })),
    ...scenario.operator.map((operator) => ({ at: start + operator.at, operator })),
  ].sort((a, b) => a.at - b.at);
  const facts: RunFacts = {
    calls: sim.calls, start, firstHealthy: null, finalPhase: "waiting-for-k3s", finalNodeHealthy: false, finalSummary: "",
    phasesSeen: new Set(), announcements: [], decided: [], phaseLog: [], announcementLevels: [], unjustified: unjustifiedRemedies,
    readings: [], verdicts: [],
  };
  // The runbook checks' findings are announcements like the core's (src/runbook-checks/).
  // With the maintenance scheduler running, the resilience audit is one of its checks (weekly, after a rollout).
  const auditScheduled = "maintenance" in scenario.config && config.maintenance.enabled;
  const runbookCheckSet = createSimRunbookChecks(node, config, clock).filter((check) => !(auditScheduled && check.name === "audit"));
  const runbookChecks = createScenarioChecks(runbookCheckSet, config, clock, (level, message) => {
    facts.announcements.push(message);
    facts.announcementLevels?.push(level);
    push({ kind: "announce", text: message, level }, now);
  });
  let lastStatus: Partial<Record<ProbeName, string>> = {};
  const end = start + scenario.duration;
  const lastFaultAt = Math.max(start - 1, ...scenario.faults.map((fault) => start + fault.at));

  const nextHappening = (): number => Math.min(agenda[0]?.at ?? Infinity, node.scheduler.nextDue() ?? Infinity, daemon?.wakeups.next() ?? Infinity, runbookChecks.dueAt() ?? Infinity);

  // Everything that happens at `at`, except an iteration; true when the daemon's iteration is due.
  const happen = (at: number): boolean => {
    node.advance(at);
    now = at;
    heardContainerd();
    if (heard) {
      heard = false;
      daemon?.wakeups.wake(at);
    }
    if (!node.runtime.poweredOn()) stopDaemon("songnodes-watchdog stops with the node");
    else if (daemon === null) startDaemon("the node booted");
    if (agenda[0]?.at === at) {
      strike(agenda.shift() as Scheduled);
      options.onHappening?.(at, live);
      return false;
    }
    options.onHappening?.(at, live);
    // A busy daemon's tick or timer still fires (it makes another iteration follow this one).
    const due = daemon !== null && daemon.wakeups.next() === at && daemon.wakeups.fire(at);
    return due && !(daemon as Daemon | null)?.busy;
  };

  const strike = (item: Scheduled): void => {
    if ("fault" in item) {
      push({ kind: "fault", text: describeFault(item.fault) }, item.at);
      const { at: _at, ...fault } = item.fault;
      node.inject(fault);
      if (!node.runtime.poweredOn()) stopDaemon("songnodes-watchdog stops with the node");
      return;
    }
    push({ kind: "operator", text: describeOperator(item.operator) }, item.at);
    const step = item.operator;
    if ("restartDaemon" in step) {
      if (daemon) {
        stopDaemon("songnodes-watchdog stops (systemctl restart)");
        startDaemon("restarted by systemd");
      }
      return;
    }
    if ("repair" in step) {
      node.repair();
      return;
    }
    if (!daemon) return;
    // As the control socket does (src/daemon/status-source.ts): the journal first, so a pause outlives
    // a daemon restart, then the loop. A pause ends at a wall time, as `pause --for` computes it.
    const wallNow = clock.now();
    if ("pause" in step) {
      daemon.fence.journal.recordPause(wallNow + step.pause, step.reason, wallNow, "operator");
      daemon.loop.request({ kind: "pause", until: wallNow + step.pause, reason: step.reason });
    } else {
      daemon.fence.journal.endPause(wallNow, `resumed by operator: ${step.resume}`);
      daemon.loop.request({ kind: "resume", reason: step.resume });
    }
    daemon.wakeups.wake(item.at);
  };

  // One iteration, letting node time pass while a remedy is in flight; null when the daemon died in it.
  const iterate = async (self: Daemon): Promise<IterationReport | null> => {
    self.busy = true;
    const cause = self.wakeups.begin();
    let report: IterationReport | null = null;
    iterationAt = now;
    const running = self.loop.iterate(clock.now(), cause).then((r) => void (report = r));
    for (;;) {
      await Promise.race([running, new Promise<void>((resolve) => (announceInFlight = resolve))]);
      announceInFlight = null;
      if (report !== null) break;
      const call = inFlight as { until: number; resume: () => void } | null;
      if (call === null) continue;
      inFlight = null;
      while (nextHappening() <= call.until) {
        const at = nextHappening();
        happen(at);
        if (daemon !== self) return null;
        // The checks' timer fires while a remedy is in flight too.
        await runbookChecks.runDue(at);
      }
      node.advance(call.until);
      now = call.until;
      call.resume();
    }
    self.busy = false;
    const done = report as IterationReport;
    // The loop names its wake-up on the wall clock (a clock jump moves it from node time), and the
    // daemon's timer waits as long as that is from the wall's now, as setTimeout does.
    const wakeAt = done.wakeAt === null ? null : done.wakeAt - clock.now() + now;
    self.wakeups.end(now, wakeAt, done.outcomes.length > 0);
    lastQuiet = done.commands.length === 0 ? { sight: sight(), wakeAt } : null;
    return done;
  };

  let lastReading = "";
  // Node time at the start of the last iteration (the daemon's report carries its wall time, which a clock jump moves).
  let iterationAt = start;
  // The iteration's lines, collected by record() for release() to merge with what happened meanwhile.
  let own: TimelineEntry[] = [];
  const note = (entry: Omit<TimelineEntry, "at" | "phase">, at: number): void => void own.push({ at: at - start, phase, ...entry });
  const record = (report: IterationReport, callsBefore: number): void => {
    const at = iterationAt;
    if (report.phase !== phase) {
      const from = phase;
      phase = report.phase;
      if (from !== null) note({ kind: "phase", text: `${from} → ${report.phase}` }, at);
    }
    for (const [name, observation] of Object.entries(report.observations) as [ProbeName, { status: string; reason: string }][]) {
      if (lastStatus[name] !== observation.status) note({ kind: "observe", text: `${name} ${observation.status}: ${observation.reason}` }, at);
      lastStatus[name] = observation.status;
    }
    // Only for the scenarios that judge them, and only when they change: a long run (the soak) must
    // not hold every iteration's readings.
    if (scenario.expect.observes !== undefined) {
      const reading = Object.fromEntries(Object.entries(report.observations).map(([name, o]) => [name, { status: o.status, reason: o.reason }]));
      const readingKey = JSON.stringify(reading);
      if (readingKey !== lastReading) facts.readings?.push(reading);
      lastReading = readingKey;
    }
    if (scenario.expect.verdictSeen !== undefined || scenario.expect.verdictNames !== undefined || scenario.expect.neverVerdict !== undefined) {
      const verdict = nodeVerdict(report.observations, daemon?.loop.state() ?? null);
      const lastVerdict = facts.verdicts?.at(-1);
      if (lastVerdict?.verdict !== verdict.verdict || lastVerdict.cause !== verdict.cause) facts.verdicts?.push({ verdict: verdict.verdict, cause: verdict.cause, at });
    }
    facts.phasesSeen.add(report.phase);
    if (facts.phaseLog?.at(-1) !== report.phase) facts.phaseLog?.push(report.phase);
    let outcomeIndex = 0;
    for (const command of report.commands) {
      if (command.kind === "announce") {
        facts.announcements.push(command.message);
        facts.announcementLevels?.push(command.level);
        note({ kind: "announce", text: command.message, level: command.level }, at);
        continue;
      }
      facts.decided.push({ kind: command.kind, pods: command.kind === "delete-pods" ? command.pods.map((p) => p.name) : [] });
      const outcome = report.outcomes[outcomeIndex++];
      const what = command.kind === "delete-pods" ? `delete-pods ${command.pods.map((p) => `${p.name}${p.force ? " (force)" : ""}`).join(", ")}` : command.kind;
      // Stamped when it reached the node (a second remedy of the iteration waits for the first).
      const call = sim.calls.slice(callsBefore).find((c) => c.command === command);
      note({ kind: "action", text: `${what}: ${command.why}`, ...(outcome ? { outcome: { ok: outcome.ok, text: outcome.detail } } : {}) }, call?.at ?? at);
    }
    // "Recovered by T": healthy counts only once every fault has struck.
    if (facts.firstHealthy === null && now > lastFaultAt && report.phase === "healthy" && node.healthy()) facts.firstHealthy = now - start;
    facts.finalPhase = report.phase;
  };

  startDaemon("the scenario begins");
  for (let at = nextHappening(); at <= end; at = nextHappening()) {
    const iterationDue = happen(at);
    await runbookChecks.runDue(at);
    if (!iterationDue || daemon === null) continue;
    held = [];
    own = [];
    const callsBefore = sim.calls.length;
    const report = await iterate(daemon);
    await maintenance.tick(clock.now(), report?.phase ?? null);
    if (report !== null) record(report, callsBefore);
    release(own);
    if (report === null) continue;
    await runbookChecks.afterIteration(report.phase);
    options.onIteration?.(report, live);
  }
  node.advance(end);
  now = end;
  facts.findings = maintenance.findings;
  facts.checkRuns = maintenance.runs;
  facts.finalNodeHealthy = node.healthy();
  facts.finalSummary = node.summary();
  facts.gitopsReconciles = node.faces.flux.reconciles();
  options.onEnd?.(live);
  journal.close();
  const verdicts = judge(scenario.expect, facts);
  return {
    name: scenario.name, description: scenario.description, runbook: scenario.runbook, seed: scenario.seed,
    durationMs: scenario.duration, wallMs: performance.now() - wallStart, timeline, verdicts,
    passed: verdicts.every((v) => v.ok), finalPhase: facts.finalPhase, finalNode: facts.finalSummary, calls: sim.calls,
  };
}
