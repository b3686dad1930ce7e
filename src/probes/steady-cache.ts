// When a watch-cache probe's ok reading stands in a quiet iteration: the cache was steady when it
// was read and has told of nothing since. Every change, and every loss of the watch, wakes the loop
// anyway; this only lets a tick with no news skip the read (src/daemon/read-probes.ts).
import type { WatchCache } from "../kube/watch-cache.js";

/** The memory of a cache probe's last reading. */
export interface SteadyCacheReading {
  /** Call before reading the cache; call the result with whether the reading was ok. */
  begin(): (ok: boolean) => void;
  stands(): boolean;
}

export function steadyCacheReading(cache: Pick<WatchCache, "steadyAt">): SteadyCacheReading {
  let okAt: number | null = null;
  return {
    begin() {
      const at = cache.steadyAt();
      return (ok) => void (okAt = ok ? at : null);
    },
    stands() {
      const now = cache.steadyAt();
      return okAt !== null && now === okAt;
    },
  };
}
