// How often a watch cache may list again, and when it stops trusting its watch. A server that expires
// every watch (410 Gone) or streams garbage must not make the daemon list in a loop: the first failure
// after a good watch is retried at once (a compaction now and then is normal), then each pause grows,
// with jitter so that clients do not come back in step, and no two lists start less than a gap apart.
import type { Clock } from "../ports.js";

export interface WatchPacingOptions {
  clock: Clock;
  /** The pause after the second failure in a row, doubling up to the maximum. */
  relistBackoff: { initialMs: number; maxMs: number };
  /** Never two lists closer than this, whatever happens. */
  minRelistGapMs: number;
  /** Failures in a row before the cache stops trusting its watch. */
  failuresBeforeUnknown: number;
  /** The jitter's source, in [0, 1). */
  random: () => number;
}

/** The pacing of one cache's lists and its trust in its watch. */
export interface WatchPacing {
  /** A watch failed soon after it opened (`kind` in words): the pause before the next try, ms. */
  failed(kind: string, openedAt: number, relist: boolean): number;
  /** The watch delivered an event or a bookmark: it works again. */
  worked(): void;
  /** A list starts now. */
  listing(): void;
  /** How long a list must still wait for the gap, ms (0: it may start). */
  listWait(): number;
  /** Why the watch cannot be trusted (since when, what kind of failure), or null. */
  distrust(openSince: number | null): { since: number; kind: string } | null;
  /** This failure made the count reach the limit: the moment to wake the loop. */
  justDistrusted(): boolean;
}

// A watch that stayed open this long was a good watch: a failure after it starts a new count, and a
// watch that holds this long after a failing spell is trusted again.
export const STABLE_WATCH_MS = 30_000;

/** Pacing with no failure yet. */
export function createWatchPacing(options: WatchPacingOptions): WatchPacing {
  const { clock, relistBackoff, minRelistGapMs, failuresBeforeUnknown, random } = options;
  let failing = 0;
  let since: number | null = null;
  let kind = "";
  let lastListAt: number | null = null;
  const gap = () => (lastListAt === null ? 0 : lastListAt + minRelistGapMs - clock.now());
  return {
    failed(what, openedAt, relist) {
      if (clock.now() - openedAt >= STABLE_WATCH_MS) failing = 0;
      failing++;
      since ??= clock.now();
      kind = what;
      const step = failing <= 1 ? 0 : Math.min(relistBackoff.initialMs * 2 ** (failing - 2), relistBackoff.maxMs);
      return Math.max(step * (0.5 + random() / 2), relist ? gap() : 0);
    },
    worked() {
      failing = 0;
      since = null;
    },
    listing() {
      lastListAt = clock.now();
    },
    listWait: () => Math.max(0, gap()),
    distrust(openSince) {
      const holding = openSince !== null && clock.now() - openSince >= STABLE_WATCH_MS;
      return failing >= failuresBeforeUnknown && !holding ? { since: since ?? clock.now(), kind } : null;
    },
    justDistrusted: () => failing === failuresBeforeUnknown,
  };
}
