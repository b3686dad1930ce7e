// When a probe's last ok reading may stand in a quiet iteration: it was ok, nothing the probe counts
// as news (a PropertiesChanged, a broken watch) came since it was asked, and it is younger than the
// probe's re-check bound. Shared by the probes that can skip a read (docs/architecture.md).
import { systemClock, type Clock } from "../ports.js";

/** The memory of one probe's last ok reading. */
export interface StandingOk {
  /** Call as the read starts, with the news count then; call the result with the reading's outcome. */
  begin(news: number): (ok: boolean) => void;
  /** Whether that ok reading still stands, given the news count now. */
  stands(news: number): boolean;
  /**
   * How much longer, in ms, that ok reading stands if no news comes: 0 when it does not stand now,
   * Infinity when only news can end it (no bound).
   */
  standsFor(news: number): number;
}

/**
 * A memory of the last ok reading, bounded by `recheckMs`. Its age is measured on the clock's
 * monotonic time where it has one (the real clock does): a step of the wall clock backwards must
 * not let a reading stand an hour longer, nor one forwards end it.
 */
export function createStandingOk(clock: Clock | undefined, recheckMs: number): StandingOk {
  const source = clock ?? systemClock;
  const now = () => (source.monotonic ? source.monotonic() : source.now());
  let last: { at: number; news: number } | null = null;
  const standsFor = (news: number): number => {
    if (last === null || last.news !== news) return 0;
    const age = now() - last.at;
    return age >= 0 && age < recheckMs ? recheckMs - age : 0;
  };
  return {
    begin(news) {
      const at = now();
      return (ok) => {
        last = ok ? { at, news } : null;
      };
    },
    stands: (news) => standsFor(news) > 0,
    standsFor,
  };
}

/** What a reading taken while its cache was not steady is stamped with: it never stands. */
export const NOT_STEADY = -1;

/** How long a watch-cache probe's ok reading stands: while the cache is steady and has told of nothing since. */
export function standsWhileSteady(cache: { steadyAt(): number | null }, lastOk: StandingOk): number {
  const told = cache.steadyAt();
  return told === null ? 0 : lastOk.standsFor(told);
}
