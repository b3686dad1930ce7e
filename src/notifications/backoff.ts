// When to try a delivery again: exponential back-off with full jitter, so a receiver that comes
// back is not hit by every queued event at the same instant, and Retry-After when the receiver
// says how long to wait (429, 503).

/** Delay before attempt `attempts + 1`, between half and all of initial·2^(attempts-1), capped. */
export function retryDelay(attempts: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as ms from `now` (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
