// When the k3s log is worth reading. Reading it spawns journalctl and reads 256 KiB of containerd.log,
// the dearest part of an idle iteration. Its finding only changes what the daemon does when k3s is
// in trouble (containerd damage stops the ladder), and damage shows when containerd starts: so while
// k3s stays active in the same start attempt and the last reading found nothing, the last reading
// stands, re-read once in a while all the same.
import type { K3sLogDetail, K3sUnitDetail, Reading } from "../core/types.js";
import type { Clock, Probe } from "../ports.js";

// A quiet k3s's log is read this often (every iteration while k3s is in trouble). Its finding only
// matters once k3s is in trouble, so while k3s runs the re-read is for `status` alone: each costs a
// journalctl process forked from the daemon and 256 KiB of containerd.log, the dearest read of an
// idle half hour (about 45 ms of CPU each; every 5 min it was a tenth of the resting daemon's JavaScript).
export const K3S_LOG_REFRESH_MS = 30 * 60_000;

/** What the cadence needs: the clock, how often to re-read anyway, and this iteration's unit reading. */
export interface K3sLogCadenceDeps {
  clock: Clock;
  /** A quiet k3s still gets its log read this often. */
  refreshMs: number;
  /** The k3s unit's reading of this iteration (null before the first). */
  unit(): Promise<Reading<K3sUnitDetail> | null>;
  /** How much longer the unit's last reading stands in a quiet iteration, ms (its probe's standsFor()). */
  unitStandsFor?(): number;
}

/** The k3s log probe, read at every iteration while k3s is not active or its start attempt changed. */
export function readK3sLogWhenItCanMatter(probe: Probe<K3sLogDetail>, deps: K3sLogCadenceDeps): Probe<K3sLogDetail> {
  let last: { reading: Reading<K3sLogDetail>; at: number; startedAt: number | null } | null = null;
  // The last reading found nothing and is younger than the refresh.
  const cleanAndRecent = (now: number) => last !== null && last.reading.status === "ok" && now - last.at >= 0 && now - last.at < deps.refreshMs;
  const standsFor = (): number => {
    const now = deps.clock.now();
    return last !== null && cleanAndRecent(now) ? Math.min(deps.unitStandsFor?.() ?? 0, last.at + deps.refreshMs - now) : 0;
  };
  return {
    ...probe,
    async read(signal) {
      const unit = await deps.unit().catch(() => null);
      const now = deps.clock.now();
      const startedAt = unit?.detail?.inactiveExitAt ?? null;
      const quiet = unit?.status === "ok" && cleanAndRecent(now) && last?.startedAt === startedAt;
      if (quiet && last !== null) return last.reading;
      const reading = await probe.read(signal);
      last = { reading, at: now, startedAt };
      return reading;
    },
    // Only while the unit's reading stands too: a unit read again may show a new start attempt, and
    // then read() decides. Otherwise the last ok reading stands until the refresh is due.
    quiet: () => standsFor() > 0,
    standsFor,
  };
}
