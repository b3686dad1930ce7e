// Journal queries for the sockets run one per turn of the event loop. better-sqlite3 is
// synchronous: eight clients asking for history at once would otherwise run eight queries back to
// back in one I/O phase and hold the daemon's timers (the loop, the watchdog) for all of them. Between
// two queries the loop gets its turn; beyond `maxWaiting` a reader is told "busy" (503) at once.
import { HttpError } from "./responses.js";

/** Runs queued work one item per event-loop turn. */
export interface QueryQueue {
  run<T>(work: () => T): Promise<T>;
  /** Queries waiting now (for tests and the bench). */
  waiting(): number;
}

/** A queue that holds at most `maxWaiting` queries; more are refused with 503. */
export function createQueryQueue(maxWaiting: number): QueryQueue {
  const queue: (() => void)[] = [];
  let scheduled = false;
  const drainOne = () => {
    scheduled = false;
    const next = queue.shift();
    next?.();
    // setImmediate, not a loop: the timers phase runs before the next query.
    if (queue.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drainOne);
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
