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
}

/** A memory of the last ok reading, bounded by `recheckMs` on `clock` (the real clock by default). */
export function createStandingOk(clock: Clock | undefined, recheckMs: number): StandingOk {
  const now = () => (clock ?? systemClock).now();
  let last: { at: number; news: number } | null = null;
  return {
    begin(news) {
      const at = now();
      return (ok) => {
        last = ok ? { at, news } : null;
      };
    },
    stands: (news) => last !== null && last.news === news && now() - last.at < recheckMs,
  };
}

/** What a reading taken while its cache was not steady is stamped with: it never stands. */
export const NOT_STEADY = -1;

/** A watch-cache probe's ok reading stands while the cache is steady and has told of nothing since. */
export function standsWhileSteady(cache: { steadyAt(): number | null }, lastOk: StandingOk): boolean {
  const told = cache.steadyAt();
  return told !== null && lastOk.stands(told);
}
