// `history` and `boots` for people: one line an entry, newest first, like `journalctl -r`.
import { formatDuration } from "../../config/duration.js";
import type { BootRecord, HistoryEntry } from "../../journal/types.js";
import type { Paint } from "./colour.js";
import { formatClock } from "./time.js";
import { wrap } from "./wrap.js";

function kindColour(entry: HistoryEntry, paint: Paint): (text: string) => string {
  if (entry.kind === "action") {
    const outcome = entry.detail.outcome;
    return outcome === "failed" || outcome === "interrupted" ? paint.red : outcome === "succeeded" ? paint.green : paint.yellow;
  }
  if (entry.kind === "note" && entry.detail.level === "err") return paint.red;
  if (entry.kind === "pause" || (entry.kind === "note" && entry.detail.level === "warning")) return paint.yellow;
  return (text: string) => text;
}

/** What the history was asked for, so an empty answer says what is missing. */
export interface HistoryAsked {
  kind?: string;
  since?: string;
}

/** Why the answer is empty: nothing at all, or nothing that matches the filter. */
function nothing(asked: HistoryAsked): string {
  if (asked.kind === undefined && asked.since === undefined) return "No history recorded yet.\n";
  const what = asked.kind === undefined ? "No entries" : `No ${asked.kind} entries`;
  // Wrapped: a --since with a full ISO time would push it past 80 columns.
  return `${wrap(`${what}${asked.since === undefined ? "" : ` since ${asked.since}`}; other entries may exist: try without --kind or --since.`).join("\n")}\n`;
}

// Summaries wrap under themselves: time (19) + 2 + kind (11) + 2.
const HANG = " ".repeat(34);

/** History lines: time, kind, summary; each fits 80 columns. */
export function renderHistory(entries: HistoryEntry[], paint: Paint, asked: HistoryAsked = {}): string {
  if (entries.length === 0) return nothing(asked);
  const lines = entries.flatMap((entry) => wrap(`${paint.dim(formatClock(entry.at))}  ${kindColour(entry, paint)(entry.kind.padEnd(11))}  ${entry.summary}`, HANG));
  return `${lines.join("\n")}\n`;
}

/** Boot lines: boot id, first seen, time to healthy. */
export function renderBoots(boots: BootRecord[], paint: Paint): string {
  if (boots.length === 0) return "No boots recorded yet.\n";
  // Boot ids are 36 characters (a UUID): the column is as wide as the widest one.
  const width = Math.max("BOOT".length, ...boots.map((boot) => boot.bootId.length));
  const lines = [paint.bold(`${"BOOT".padEnd(width)}  ${"FIRST SEEN".padEnd(19)}  TIME TO HEALTHY`)];
  for (const boot of boots) {
    const healthy = boot.timeToHealthyMs === null ? paint.yellow("not healthy yet") : paint.green(formatDuration(boot.timeToHealthyMs));
    lines.push(`${boot.bootId.padEnd(width)}  ${formatClock(boot.firstSeenAt)}  ${healthy}`);
  }
  return `${lines.join("\n")}\n`;
}
