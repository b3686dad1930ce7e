// When this boot began, from /proc/uptime. A boot's time to healthy is measured from there when the
// daemon started soon after it (the normal case: systemd starts it right after k3s); when it was
// started long after (installed mid-boot, restarted), "first seen" is the honest start instead.
import { readFileSync } from "node:fs";

/** How long after a boot the daemon may start and still count the boot from its real beginning. */
export const BOOT_SEEN_WITHIN_MS = 10 * 60_000;

/** Milliseconds since the kernel booted, or null when /proc/uptime cannot be read. */
export function readUptimeMs(path = "/proc/uptime"): number | null {
  try {
    const seconds = Number.parseFloat(readFileSync(path, "utf8").split(" ")[0] ?? "");
    return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null;
  } catch {
    return null;
  }
}

/** The start of the boot for its time to healthy: the kernel's boot time if recent, else `now`. */
export function bootStartedAt(now: number, uptimeMs: number | null): number {
  return uptimeMs !== null && uptimeMs <= BOOT_SEEN_WITHIN_MS ? now - uptimeMs : now;
}
