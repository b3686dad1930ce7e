// Times for people: local wall-clock times and "3m ago", as systemctl status shows them.
import { formatDuration } from "../../config/duration.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** "2025-11-13 10:02:11" in local time. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "2025-11-13 10:02:11 (3m ago)" or "(in 3m)" for a time still ahead. */
export function formatWhen(ms: number, now: number): string {
  const delta = now - ms;
  const relative = delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
  return `${formatClock(ms)} (${relative})`;
}
