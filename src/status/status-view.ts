// The body of GET /v1/status: the daemon's snapshot plus the durations a reader would otherwise
// compute by hand (uptime, time since boot, time to healthy or elapsed so far, pause time left).
import type { NodeVerdict } from "../core/verdict.js";
import type { StatusSnapshot } from "./source.js";

/** The snapshot as the socket serves it; every added field is derived from `now`. */
export interface StatusView extends Omit<StatusSnapshot, "pause" | "verdict"> {
  now: number;
  /** The node's verdict and cause, as `check` and /metrics give it. */
  verdict: NodeVerdict;
  uptimeMs: number;
  sinceBootMs: number;
  /** Time to healthy this boot, or null while still recovering (then see `elapsedMs`). */
  timeToHealthyMs: number | null;
  /** Time since boot while not yet healthy this boot; null once healthy. */
  elapsedMs: number | null;
  pause: (NonNullable<StatusSnapshot["pause"]> & { leftMs: number }) | null;
}

/** Build the status body; a pause already past its expiry is shown as none. */
export function buildStatusView(snapshot: StatusSnapshot, now: number): StatusView {
  const pause = snapshot.pause && snapshot.pause.until > now ? { ...snapshot.pause, leftMs: snapshot.pause.until - now } : null;
  const sinceBootMs = Math.max(0, now - snapshot.bootStartedAt);
  return {
    ...snapshot,
    verdict: snapshot.verdict ?? { verdict: "unknown", cause: "the daemon gave no verdict", detail: "" },
    pause,
    now,
    uptimeMs: Math.max(0, now - snapshot.startedAt),
    sinceBootMs,
    elapsedMs: snapshot.timeToHealthyMs === null ? sinceBootMs : null,
  };
}
