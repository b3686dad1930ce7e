// When the daemon iterates, as src/daemon/scheduler.ts decides it, for the virtual clock: a tick
// every config.timing.tick from the daemon's start, a wake-up 20 ms after a hold-off the core named
// (wakeAt) when it ends before the next tick, and a wake-up on every event the daemon hears (a k3s
// unit change over D-Bus, a pod or node watch event, a control request, a finished remedy). Each
// wake-up runs the loop after the debounce, never two iterations at once: a wake-up while one runs
// makes another right after it. The figures are the scheduler's own, imported, so they cannot drift
// apart (they did once: the simulator kept a 200 ms debounce after the daemon's went to 50 ms).
import { DEBOUNCE_MS, WAKE_SLACK_MS } from "../../daemon/scheduler.js";

export { DEBOUNCE_MS, WAKE_SLACK_MS };

/** The wake-up state of one running daemon. */
export interface DaemonWakeups {
  /** The next moment something happens here (a tick, a hold-off timer, the debounced iteration). */
  next(): number;
  /** Process the tick or timer due at `at`; true when the iteration itself is due now. */
  fire(at: number): boolean;
  /** Something the daemon hears happened at `at` (`tick`: only the tick, which leaves the iteration quiet). */
  wake(at: number, tick?: boolean): void;
  /**
   * An iteration starts (wake-ups during it come after it) / ended at `at` with the core's wakeAt.
   * begin() says whether the tick alone woke it: a quiet iteration, as the scheduler tells the loop.
   */
  begin(): { quiet: boolean };
  end(at: number, wakeAt: number | null, acted: boolean): void;
  /** The tick that would fall at or after `at` (for the soak's quiet skipping). */
  tickAt(at: number): number;
}

/** Wake-ups for a daemon started at `startedAt` with tick `tickMs`; `quiet(at)` may skip a tick. */
export function createDaemonWakeups(startedAt: number, tickMs: number, quiet: (at: number) => boolean = () => false): DaemonWakeups {
  let nextTick = startedAt + tickMs;
  let holdOff: number | null = null;
  let pending: number | null = startedAt + DEBOUNCE_MS; // wake("start")
  let running = false;
  let again = false;
  // Whether anything but the tick asked for the coming iteration (the start does).
  let eventful = true;
  const wake = (at: number, tick = false): void => {
    if (!tick) eventful = true;
    if (running) again = true;
    else pending ??= at + DEBOUNCE_MS;
  };
  return {
    next: () => Math.min(nextTick, holdOff ?? Infinity, pending ?? Infinity),
    fire(at) {
      if (pending === at) {
        pending = null;
        return true;
      }
      if (holdOff === at) {
        holdOff = null;
        wake(at);
      }
      if (nextTick === at) {
        nextTick += tickMs;
        if (!quiet(at)) wake(at, true);
      }
      return false;
    },
    wake,
    begin() {
      running = true;
      const quietOne = !eventful;
      eventful = false;
      return { quiet: quietOne };
    },
    end(at, wakeAt, acted) {
      running = false;
      holdOff = null;
      if (wakeAt !== null) {
        const delay = Math.max(0, wakeAt - at) + WAKE_SLACK_MS;
        if (delay < tickMs) holdOff = at + delay;
      }
      if (acted || again) {
        again = false;
        wake(at);
      }
    },
    tickAt: (at) => (at <= nextTick ? nextTick : nextTick + Math.ceil((at - nextTick) / tickMs) * tickMs),
  };
}
