// The loop: observe → decide → act → record. One iteration reads every probe, hands the readings
// to the pure core, records what changed, then runs the remedies one at a time. Every action is
// written to the journal before it starts and after it ends, so a crash leaves an honest record.
// The same loop runs under systemd (src/daemon/daemon.ts) and on the simulator's virtual clock.
import type { Config } from "../config/schema.js";
import { changedProbes, stampObservations, type Readings } from "../core/observe.js";
import { memoryOf } from "../core/memory.js";
import { LADDER, type LadderRemedy } from "../core/ladder.js";
import { verifyWindow } from "../core/wording.js";
import { initialState } from "../core/state.js";
import { mayRest } from "../core/rest.js";
import { step } from "../core/step.js";
import type { ActionOutcome, Command, CoreState, Observations, OperatorRequest, Phase, RemedyCommand, RemedyKind } from "../core/types.js";
import { PROBE_NAMES } from "../core/types.js";
import { openJournal } from "../journal/index.js";
import type { Journal } from "../journal/types.js";
import type { Action, Clock, Logger, Notifier } from "../ports.js";
import { createCoreTime, restoreCoreState } from "./core-time.js";
import { readProbes, type ProbeSet } from "./read-probes.js";
import { createObservationLog } from "./observation-log.js";
import { runRemedy } from "./run-remedy.js";
import { describeRemedy, phaseReason, statusLine } from "./wording.js";

export interface LoopDeps {
  config: Config;
  probes: ProbeSet;
  actions: { [K in RemedyKind]: Action<Extract<RemedyCommand, { kind: K }>> };
  logger: Logger;
  clock: Clock;
  bootId: string;
  /** When this boot began, if known (src/host/boot-time.ts); else when the loop first saw it. */
  bootStartedAt?: number;
  /** The SQLite journal; an in-memory one when absent (the simulator's runs). */
  journal?: Journal;
  notifier?: Notifier;
  /** Aborted when the daemon stops: an action in flight is aborted too. */
  stop?: AbortSignal;
  /** Let quiet iterations rest (default true); false runs the core at every iteration (the tests' comparison). */
  rests?: boolean;
  /** Told each iteration's report and the core's state after it (notifications); never blocks. */
  notifications?: (report: IterationReport, state: CoreState) => void;
}

export interface IterationReport {
  now: number;
  phase: Phase;
  observations: Observations;
  commands: Command[];
  outcomes: ActionOutcome[];
  notes: string[];
  /** When the core's decision could next change by itself (see StepResult.wakeAt). */
  wakeAt: number | null;
  /** Wall time spent in the core's step() (the "evaluation"), and in the whole iteration. */
  decideMs: number;
  durationMs: number;
  /** Iterations completed since the loop was built, this one included. */
  count: number;
  /** The probes read in this iteration; the others' last readings stood (a quiet iteration). */
  probesRead: number;
  /**
   * True when the iteration rested: every reading stood and the core was not asked (src/core/rest.ts).
   * A rested report carries the last looking iteration's observations, decision time and duration.
   */
  rested?: boolean;
  /** Iterations rested since the loop was built. */
  rests?: number;
  /**
   * For how long after this iteration a quiet one would rest, ms: the shortest time any ok reading
   * still stands and the core's next wake-up (Infinity: only news ends it; 0: the next iteration
   * looks). The scheduler sleeps through the ticks that fall before it (src/daemon/scheduler.ts).
   */
  restsForMs?: number;
}

/** How an iteration was asked for. */
export interface IterationCause {
  /** Woken only by the tick: nothing the daemon watches told of a change since the last iteration. */
  quiet?: boolean;
}

export interface LastAction {
  kind: RemedyKind;
  ok: boolean;
  dryRun: boolean;
  detail: string;
  at: number;
}

export interface Loop {
  iterate(now: number, cause?: IterationCause): Promise<IterationReport>;
  state(): CoreState;
  observations(): Observations | null;
  /** Queue an operator request; the next iteration applies it. */
  request(op: OperatorRequest): void;
  lastAction(): LastAction | null;
  /** The last completed iteration. */
  lastIteration(): IterationReport | null;
  /** The remedy running now, if any (the watchdog allows for its timeout). */
  inFlight(): { kind: RemedyKind; since: number; timeoutMs: number } | null;
  journal: Journal;
}

const TIMEOUT_KEY: Record<RemedyKind, keyof Config["actionTimeouts"]> = {
  "restart-k3s": "restartK3s",
  "killall-k3s": "killallK3s",
  "restart-registry": "restartRegistry",
  "delete-pods": "deletePods",
};

/** Build the loop at start-up: records the boot, marks a dead daemon's unfinished actions interrupted. */
export function createLoop(deps: LoopDeps): Loop {
  const { config, logger, clock, bootId } = deps;
  const journal = deps.journal ?? openJournal(":memory:", clock);
  const time = createCoreTime(clock);
  const start = clock.now();
  if (journal.recordBoot(bootId, deps.bootStartedAt ?? start)) logger.info(`new boot ${bootId}: walking the node from boot to healthy`, { bootId });
  const interrupted = journal.markInterrupted(start);
  if (interrupted > 0) logger.warn(`${interrupted} action(s) left unfinished by a previous daemon were marked interrupted; they still count against the budgets`);
  const longestWindow = Math.max(...Object.values(config.budgets).map((b) => b.window));
  const coreStart = time.core();
  const stamps = journal.storedStamps(start - longestWindow, bootId).map((stamp) => ({ kind: stamp.kind, at: time.stampToCore(stamp, bootId) }));
  let state = restoreCoreState(config, journal, initialState(coreStart, stamps), { bootId, anchor: time.anchor, now: coreStart, logger });
  let savedMemory = JSON.stringify(memoryOf(state));
  const queue: OperatorRequest[] = [];
  const pause = journal.currentPause(start);
  if (pause !== null) queue.push({ kind: "pause", until: pause.until, reason: pause.reason });
  let observations: Observations | null = null;
  // The last readings as the probes gave them: what a quiet iteration may let stand.
  let readings: Readings | null = null;
  let count = 0;
  // A ladder remedy the previous daemon left in flight ended when, this one cannot know: its
  // verification window counts from the latest it could have ended (decided + its timeout), never
  // from when it was decided, so a restart mid-remedy never brings the next rung sooner.
  const inFlightRung = interrupted > 0 && state.ladder !== null ? LADDER[state.ladder.symptom][state.ladder.rung] : undefined;
  const latestEnd = (rung: LadderRemedy, ladder: NonNullable<CoreState["ladder"]>) =>
    Math.max(coreStart, ladder.verifyUntil - verifyWindow(config, rung) + config.actionTimeouts[TIMEOUT_KEY[rung]]);
  let finished: ActionOutcome[] = inFlightRung === undefined || state.ladder === null ? []
    : [{ kind: inFlightRung, ok: false, detail: "interrupted: the previous daemon stopped with it in flight", at: latestEnd(inFlightRung, state.ladder) }];
  let last: LastAction | null = null;
  let inFlight: { kind: RemedyKind; since: number; timeoutMs: number } | null = null;
  let bootHealthy = false;
  let sentStatus: string | null = null;
  let lastReport: IterationReport | null = null;
  // The core's last wake-up, on its own time: a rest never passes it.
  let coreWakeAt: number | null = null;
  let rests = 0;
  const observationLog = createObservationLog(logger);
  // Every probe read ok last time, no remedy just finished and no operator request waits: nothing is
  // to be acted on, so a quiet iteration may let readings stand (and the loop may rest).
  const settled = (): boolean => readings !== null && finished.length === 0 && queue.length === 0
    && Object.values(readings).every((reading) => reading.status === "ok");
  // How long quiet iterations would go on resting from now if nothing is heard: what the rest below
  // asks, turned into a time. Probes that cannot say (standsFor) keep every tick.
  const restsFor = (): number => {
    if (deps.rests === false || !settled()) return 0;
    const at = time.core();
    if (!mayRest(state, coreWakeAt, at)) return 0;
    let least = coreWakeAt === null ? Infinity : coreWakeAt - at;
    for (const name of PROBE_NAMES) least = Math.min(least, deps.probes[name].standsFor?.() ?? 0);
    return Math.max(0, least);
  };

  const execute = async (command: RemedyCommand): Promise<ActionOutcome> => {
    const id = journal.planAction(command.kind, command.why, clock.now(), config.dryRun);
    if (config.dryRun) {
      logger.warn(`dry-run: would ${describeRemedy(command, "would")}: ${command.why}`, { action: command.kind, dryRun: true });
      const at = clock.now();
      last = { kind: command.kind, ok: true, dryRun: true, detail: "dry-run: not executed", at };
      return { kind: command.kind, ok: true, detail: "dry-run: not executed", at: time.core() };
    }
    const timeoutMs = config.actionTimeouts[TIMEOUT_KEY[command.kind]];
    journal.startAction(id, clock.now(), time.monotonic());
    logger.warn(`${describeRemedy(command)}: ${command.why}`, { action: command.kind });
    inFlight = { kind: command.kind, since: clock.now(), timeoutMs };
    const action = deps.actions[command.kind] as Action;
    const report = await runRemedy(action, command, timeoutMs, deps.stop);
    inFlight = null;
    const at = clock.now();
    journal.finishAction(id, at, report.ok, report.detail, report.touched);
    if (report.ok) logger.info(`${command.kind} done: ${report.detail}`, { action: command.kind, touched: report.touched });
    else logger.error(`${command.kind} failed: ${report.detail}`, { action: command.kind, touched: report.touched });
    last = { kind: command.kind, ok: report.ok, dryRun: false, detail: report.detail, at };
    // The core measures the verification window on its own (monotonic) time.
    return { kind: command.kind, ok: report.ok, detail: report.detail, at: time.core() };
  };

  // `now` is wall time: what the journal and the logs show. The core decides on its own time, the
  // monotonic clock anchored at start, so a step of the wall clock moves no hold-off or budget.
  const iterate = async (now: number, cause: IterationCause = {}): Promise<IterationReport> => {
    const iterationStart = performance.now();
    // A reading may stand only in a quiet iteration after a settled one; then each probe decides
    // (quiet()) whether its own news and its re-check bound let it stand.
    const calm = cause.quiet === true && settled();
    const previous = readings;
    // Resting: nothing the probes watch has news, each ok reading is within its re-check bound, and
    // the core has nothing that runs out before its next wake-up. The idle node costs a timer, not a
    // look and a step (docs/architecture.md, "When the loop looks").
    const restAt = time.core();
    if (calm && deps.rests !== false && lastReport !== null && mayRest(state, coreWakeAt, restAt)
      && PROBE_NAMES.every((name) => deps.probes[name].quiet?.() === true)) {
      count++;
      rests++;
      lastReport = {
        ...lastReport, now, commands: [], outcomes: [], notes: [], count, probesRead: 0, rested: true, rests,
        wakeAt: coreWakeAt === null ? null : coreWakeAt - restAt + now,
        restsForMs: restsFor(),
      };
      deps.notifications?.(lastReport, state);
      return lastReport;
    }
    const stood = new Set<string>();
    readings = await readProbes(deps.probes, config.timing.probeTimeout, calm ? previous : null, stood);
    const probesRead = PROBE_NAMES.length - stood.size;
    const monotonic = time.monotonic();
    const core = time.hasMonotonic ? time.anchor + monotonic : now;
    const toCore = (wall: number) => wall - now + core;
    const current = stampObservations(observations, readings, core);
    for (const name of changedProbes(observations, current)) {
      const { status, reason } = current[name];
      journal.recordObservation(name, status, reason, now);
      observationLog.log(name, current[name], now, state.phase);
    }
    observations = current;

    // An operator's pause ends at a wall time: on the core's time it ends as far from now.
    const requests = queue.splice(0).map((r) => (r.kind === "pause" ? { ...r, until: toCore(r.until) } : r));
    const decideStart = performance.now();
    const input = { observations: current, finished, requests, wallNow: now, ...(time.hasMonotonic ? { monotonic } : {}) };
    const result = step(config, state, input, core);
    const decideMs = performance.now() - decideStart;
    finished = [];
    const before = state;
    state = result.state;
    // Saved before any remedy runs: a daemon killed mid-action goes on at the next rung.
    const memory = JSON.stringify(memoryOf(state));
    if (memory !== savedMemory) {
      journal.saveCoreMemory({ bootId, anchor: time.anchor, savedAt: now, state: memoryOf(state) });
      savedMemory = memory;
    }
    if (before.pause !== null && state.pause === null && !requests.some((r) => r.kind === "resume")) journal.endPause(now, "expired");
    if (state.phase !== before.phase) {
      const why = phaseReason(state, current);
      journal.recordPhase(before.phase, state.phase, now, why);
      logger.info(`phase ${before.phase} → ${state.phase}: ${why}`, { phase: state.phase, from: before.phase });
    }
    if (state.phase === "healthy" && !bootHealthy) {
      bootHealthy = true;
      const healthyAt = state.healthySince === null ? now : state.healthySince - core + now;
      if (journal.markBootHealthy(bootId, healthyAt)) logger.info(`boot ${bootId} healthy`, { bootId });
    }
    for (const note of result.notes) logger.debug(note);

    const outcomes: ActionOutcome[] = [];
    for (const command of result.commands) {
      if (command.kind === "announce") {
        journal.recordNote(command.level, command.key, command.message, now);
        const log = command.level === "err" ? logger.error : command.level === "warning" ? logger.warn : logger.info;
        log.call(logger, command.message, { announce: command.key });
        continue;
      }
      if (deps.stop?.aborted) break;
      outcomes.push(await execute(command));
    }
    finished = outcomes;
    // STATUS= only when it changes: each notification is a systemd-notify process.
    const line = statusLine(state, last);
    if (line !== sentStatus) {
      sentStatus = line;
      await deps.notifier?.status(line);
    }
    // The caller schedules on the wall clock: the wake-up, as far from now as the core said.
    coreWakeAt = result.wakeAt;
    const wakeAt = result.wakeAt === null ? null : result.wakeAt - core + now;
    count++;
    const report = { now, phase: state.phase, observations: current, commands: result.commands, outcomes, notes: result.notes, wakeAt, decideMs, durationMs: performance.now() - iterationStart, count, probesRead, rests, restsForMs: restsFor() };
    lastReport = report;
    deps.notifications?.(report, state);
    return report;
  };

  return {
    iterate,
    state: () => state,
    observations: () => observations,
    request: (op) => queue.push(op),
    lastAction: () => last,
    lastIteration: () => lastReport,
    inFlight: () => inFlight,
    journal,
  };
}
