// The model's timeline: transitions due at a node time, applied in order by `advance(now)`. The
// virtual-clock runner calls it once a tick; in real time a timer calls it. While a transition runs,
// `now()` is that transition's due time, so everything it stamps carries the moment it happened.

/** A handle to cancel a scheduled transition. */
export type TimerId = number;

/** Ordered timed transitions over a clock the caller advances. */
export interface Scheduler {
  now(): number;
  /** Run `fn` when the clock reaches `at` (at once on the next advance if `at` is in the past). */
  at(at: number, fn: () => void): TimerId;
  /** Run `fn` after `delayMs` of node time. */
  after(delayMs: number, fn: () => void): TimerId;
  cancel(id: TimerId): void;
  /** Apply every transition due by `now`, in time order (ties in the order they were scheduled). */
  advance(now: number): void;
  /** When the next transition is due, or null. */
  nextDue(): number | null;
}

interface Entry {
  id: TimerId;
  at: number;
  fn: () => void;
}

/** Create a scheduler whose clock starts at `start`. */
export function createScheduler(start: number): Scheduler {
  let clock = start;
  let nextId = 1;
  // Kept sorted by (at, id); a model has at most a few hundred pending transitions.
  const queue: Entry[] = [];
  const insert = (entry: Entry): void => {
    let index = queue.length;
    while (index > 0 && (queue[index - 1] as Entry).at > entry.at) index--;
    queue.splice(index, 0, entry);
  };
  const self: Scheduler = {
    now: () => clock,
    at(at, fn) {
      const id = nextId++;
      insert({ id, at: Math.max(at, clock), fn });
      return id;
    },
    after: (delayMs, fn) => self.at(clock + delayMs, fn),
    cancel(id) {
      const index = queue.findIndex((entry) => entry.id === id);
      if (index >= 0) queue.splice(index, 1);
    },
    advance(now) {
      for (;;) {
        const head = queue[0];
        if (!head || head.at > now) break;
        queue.shift();
        clock = Math.max(clock, head.at);
        head.fn();
      }
      clock = Math.max(clock, now);
    },
    nextDue: () => queue[0]?.at ?? null,
  };
  return self;
}
