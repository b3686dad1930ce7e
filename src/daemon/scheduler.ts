// When the loop runs: every tick, and soon after any event (a D-Bus PropertiesChanged, a watch
// event, a control request), never two iterations at once. While the loop would only rest (every
// reading stands, the core waits for nothing), it sleeps through the ticks: the timer is set for the
// first tick at which a reading may need a look, on the same grid. It also knows whether the loop is
// alive, which is what systemd's WatchdogSec= is told: WATCHDOG=1 only while iterations keep completing.
import type { Clock, Logger } from "../ports.js";
import type { Loop } from "./loop.js";

// Events come in bursts (a killed k3s sends its unit changes within a few ms, its restart changes
// a dozen pods): gather them into one iteration. Short, because detection is this plus one iteration;
// events that land while an iteration runs are gathered into the next one anyway.
export const DEBOUNCE_MS = 50;
// The tick's reason: an iteration woken by it alone is a quiet one.
const TICK = "tick";
// How many distinct reasons the debug line names before it only counts.
const MAX_REASONS = 8;
// Wake just after a hold-off ends, not just before it (the core compares with >=).
export const WAKE_SLACK_MS = 20;
// A tick is slept through only when its iteration would begin at least this long before the first
// standing reading runs out: a tick near the bound runs and rests or looks as it always did, so a
// late timer never moves a look to the next tick.
export const REST_MARGIN_MS = 1_000;
// The longest sleep, even when every reading could stand for ever (only news ends a watch cache's).
export const MAX_REST_MS = 3_600_000;
/** Failed iterations in a row before the daemon says so at err, in /healthz, status and STATUS=. */
export const FAILED_ITERATIONS_BEFORE_TROUBLE = 3;
// SQLite and errno codes of a disk that is full or read-only: a restart of the daemon cannot cure it.
const DISK_REFUSES = /SQLITE_FULL|SQLITE_READONLY|SQLITE_IOERR|ENOSPC|EROFS|EDQUOT|disk is full|readonly database/i;

/** Iterations keep failing: since when, how often, the last error, and whether a restart could help. */
export interface IterationTrouble {
  since: number;
  failures: number;
  lastError: string;
  /** False for a full or read-only disk: the watchdog is kept fed, since systemd restarting us cures nothing. */
  restartHelps: boolean;
}

export interface Scheduler {
  wake(why: string): void;
  /** True while iterations complete on time (an action in flight gets its own timeout). */
  alive(): boolean;
  /** Stop scheduling; resolves when the iteration in progress (if any) ends or `graceMs` passes. */
  stop(graceMs: number): Promise<void>;
  /** Resolves after the next iteration completes (tests and the first READY=1 status). */
  nextIteration(): Promise<void>;
  /** Set once FAILED_ITERATIONS_BEFORE_TROUBLE iterations in a row have failed; null again after a good one. */
  trouble(): IterationTrouble | null;
}

export interface SchedulerDeps {
  loop: Loop;
  clock: Clock;
  logger: Logger;
  tickMs: number;
  probeTimeoutMs: number;
  /** Test hook: while it returns true the loop hangs (the system tests prove WatchdogSec= with it); it keeps every tick. */
  hang?: () => boolean;
  /** Told once when iterations start failing in a row, and once when one succeeds again. */
  onTrouble?(trouble: IterationTrouble): void;
  onRecovered?(trouble: IterationTrouble): void;
}

/** Start ticking at once. */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const { loop, clock, logger, tickMs } = deps;
  // Ages for alive() on monotonic time where the clock has it: a step of the wall clock must not
  // make a sleeping loop look dead to systemd.
  const mono = () => (clock.monotonic ? clock.monotonic() : clock.now());
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let pending: NodeJS.Timeout | null = null;
  let iterationStartedMono: number | null = null;
  let lastCompletedAt = mono();
  let waiters: (() => void)[] = [];
  // Why the next iteration runs: every wake-up merged into it, in arrival order, with counts.
  let reasons = new Map<string, number>();
  let failing: IterationTrouble | null = null;

  const failed = (error: unknown): void => {
    const text = (error as Error)?.stack ?? String(error);
    const code = (error as { code?: string } | null)?.code ?? "";
    const restartHelps = !DISK_REFUSES.test(`${code} ${text}`);
    failing = failing === null
      ? { since: clock.now(), failures: 1, lastError: firstLine(error), restartHelps }
      : { ...failing, failures: failing.failures + 1, lastError: firstLine(error), restartHelps };
    if (failing.failures === FAILED_ITERATIONS_BEFORE_TROUBLE) deps.onTrouble?.(failing);
    // Said in full at err the first times; after that once in a while, not every tick.
    if (failing.failures <= FAILED_ITERATIONS_BEFORE_TROUBLE || failing.failures % 100 === 0) logger.error(`iteration failed (${failing.failures} in a row): ${text}`);
    else logger.debug(`iteration failed (${failing.failures} in a row): ${failing.lastError}`);
  };
  const succeeded = (): void => {
    if (failing === null) return;
    const was = failing;
    failing = null;
    if (was.failures >= FAILED_ITERATIONS_BEFORE_TROUBLE) deps.onRecovered?.(was);
  };

  const runOnce = (): void => {
    pending = null;
    if (stopped) return;
    if (running !== null) {
      again = true;
      return;
    }
    if (deps.hang?.()) {
      logger.warn("test hook: the loop hangs now (SONGNODES_WATCHDOG_TEST_HANG_FILE exists)");
      running = new Promise(() => {});
      return;
    }
    logger.debug(`wake: ${describeReasons(reasons)}`);
    // Only the tick woke it: nothing watched told of a change (the loop may let ok readings stand).
    const quiet = reasons.size === 1 && reasons.has(TICK);
    reasons = new Map();
    iterationStartedMono = mono();
    running = loop
      .iterate(clock.now(), { quiet })
      .then(
        (report) => {
          succeeded();
          wakeAt(report.wakeAt);
          planTicks(deps.hang ? 0 : report.restsForMs ?? 0);
          // A remedy changed the node: look at its effect at once, not at the next tick.
          if (report.outcomes.length > 0) again = true;
        },
        // The loop catches what it can; this is the last net, so one bad iteration never kills the daemon.
        // A failed iteration rests on nothing: back to every tick.
        (error: unknown) => {
          failed(error);
          planTicks(0);
        },
      )
      .finally(() => {
        running = null;
        iterationStartedMono = null;
        lastCompletedAt = mono();
        for (const resolve of waiters.splice(0)) resolve();
        if (again && !stopped) {
          again = false;
          wake("events or a remedy during the last iteration");
        }
      });
  };

  // A hold-off that runs out before the next tick gets its own wake-up, so a remedy is not late by a tick.
  let holdOffTimer: NodeJS.Timeout | null = null;
  const wakeAt = (at: number | null): void => {
    if (holdOffTimer !== null) clearTimeout(holdOffTimer);
    holdOffTimer = null;
    if (at === null || stopped) return;
    const delay = Math.max(0, at - clock.now()) + WAKE_SLACK_MS;
    if (delay < tickMs) holdOffTimer = setTimeout(() => wake("a hold-off runs out"), delay);
  };

  const wake = (why: string): void => {
    if (stopped) return;
    // A burst of pod events names every pod: keep the first few reasons, count the rest.
    const key = reasons.has(why) || reasons.size < MAX_REASONS ? why : "other events";
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
    if (pending !== null) return;
    pending = setTimeout(runOnce, DEBOUNCE_MS);
  };

  // The ticks fall on a grid from the start (performance.now(), the timers' own clock), as the
  // simulator steps them. The timer is set for the next tick not slept through.
  const origin = performance.now();
  let lastTick = 0;
  let ticker: NodeJS.Timeout | null = null;
  // The monotonic time of the tick the last completed iteration planned: alive() counts from it
  // while the loop sleeps. Only an iteration sets it, never the timer re-arming itself, so a loop
  // that stops completing iterations is seen as dead whatever its timer does.
  let plannedTickMono = mono() + tickMs;
  const armTick = (index: number): number => {
    if (ticker !== null) clearTimeout(ticker);
    const delay = Math.max(0, origin + index * tickMs - performance.now());
    ticker = setTimeout(() => {
      lastTick = index;
      armTick(Math.max(index + 1, Math.floor((performance.now() - origin) / tickMs) + 1));
      wake(TICK);
    }, delay);
    return delay;
  };
  // Sleep through the ticks whose iteration would begin more than the margin before `restsForMs`
  // from now runs out; 0 keeps the next tick. Events wake the loop whatever the timer says.
  const planTicks = (restsForMs: number): void => {
    if (stopped) return;
    const now = performance.now();
    let index = Math.max(lastTick + 1, Math.floor((now - origin) / tickMs) + 1);
    const restsUntil = now + Math.min(restsForMs, MAX_REST_MS);
    const firstNeeded = Math.ceil((restsUntil - DEBOUNCE_MS - REST_MARGIN_MS - origin) / tickMs);
    if (firstNeeded > index) {
      index = firstNeeded;
      logger.debug(`resting: every reading stands and the core waits for nothing; the next tick in ${((origin + index * tickMs - now) / 1000).toFixed(1)} s`);
    }
    plannedTickMono = mono() + armTick(index);
  };
  armTick(1);
  wake("start");

  return {
    wake,
    alive() {
      const now = mono();
      // Failing iterations that a fresh process could cure (a bug, a corrupt journal): let systemd restart us.
      if (failing !== null && failing.failures >= FAILED_ITERATIONS_BEFORE_TROUBLE && failing.restartHelps) return false;
      // Sleeping through ticks, the loop is on time until its armed tick is overdue.
      if (iterationStartedMono === null) return now - Math.max(lastCompletedAt, plannedTickMono - tickMs) < 3 * tickMs + deps.probeTimeoutMs;
      const action = loop.inFlight();
      const allowance = deps.probeTimeoutMs * 2 + (action === null ? 0 : action.timeoutMs + 10_000);
      return now - iterationStartedMono < allowance + tickMs;
    },
    async stop(graceMs) {
      stopped = true;
      if (ticker !== null) clearTimeout(ticker);
      if (holdOffTimer !== null) clearTimeout(holdOffTimer);
      if (pending !== null) clearTimeout(pending);
      if (running === null) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
    nextIteration: () => new Promise<void>((resolve) => waiters.push(resolve)),
    trouble: () => (failing !== null && failing.failures >= FAILED_ITERATIONS_BEFORE_TROUBLE ? failing : null),
  };
}

/** "k3s.service changed ×4; tick": each reason once, with how often it came. */
function describeReasons(reasons: Map<string, number>): string {
  if (reasons.size === 0) return "events during the last iteration";
  return [...reasons].map(([why, count]) => (count > 1 ? `${why} ×${count}` : why)).join("; ");
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code;
  const line = message.split("\n")[0] ?? "";
  return code && !line.includes(code) ? `${code}: ${line}` : line;
}
