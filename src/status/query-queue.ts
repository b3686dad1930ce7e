// Journal queries for the sockets run one per turn of the event loop, within a CPU budget.
// better-sqlite3 is synchronous: eight clients asking for 1000 lines of history at once would
// otherwise run their queries back to back in one I/O phase and hold the daemon's timers (the loop,
// the watchdog) for all of them, and readers looping for ever would take the daemon's whole share of
// a busy CPU. Between two queries the loop gets its turn; once the queries of the last second have
// used `budgetMsPerSecond`, the next waits; beyond `maxWaiting` a reader is told "busy" (503) at once.
import { HttpError } from "./responses.js";

/** Runs queued work one item per event-loop turn, within a budget of milliseconds per second. */
export interface QueryQueue {
  run<T>(work: () => T): Promise<T>;
  /** Queries waiting now (for tests and the bench). */
  waiting(): number;
}

/** A queue that holds at most `maxWaiting` queries; more are refused with 503. */
export function createQueryQueue(maxWaiting: number, budgetMsPerSecond = 150): QueryQueue {
  const queue: (() => void)[] = [];
  // When each recent query ran and how long it took: the budget is a sliding second.
  const spent: { at: number; ms: number }[] = [];
  let scheduled = false;
  const drainOne = () => {
    scheduled = false;
    const next = queue.shift();
    const started = performance.now();
    next?.();
    spent.push({ at: started, ms: performance.now() - started });
    if (queue.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const now = performance.now();
    while (spent.length > 0 && (spent[0]?.at ?? 0) < now - 1_000) spent.shift();
    const used = spent.reduce((sum, entry) => sum + entry.ms, 0);
    // setImmediate, not a loop: the timers phase runs before the next query.
    if (used < budgetMsPerSecond) setImmediate(drainOne);
    else setTimeout(drainOne, Math.max(1, (spent[0]?.at ?? now) + 1_000 - now));
  };
  return {
    run<T>(work: () => T): Promise<T> {
      if (queue.length >= maxWaiting) {
        return Promise.reject(new HttpError(503, "busy: too many journal queries waiting; try again", { waiting: queue.length }, { "retry-after": "1" }));
      }
      return new Promise<T>((resolve, reject) => {
        queue.push(() => {
          try {
            resolve(work());
          } catch (error) {
            reject(error);
          }
        });
        schedule();
      });
    },
    waiting: () => queue.length,
  };
}
