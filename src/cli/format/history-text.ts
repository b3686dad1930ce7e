// `history` and `boots` for people: one line an entry, newest first, like `journalctl -r`.
import { formatDuration } from "../../config/duration.js";
import type { BootRecord, HistoryEntry } from "../../journal/types.js";
import type { Paint } from "./colour.js";
import { formatClock } from "./time.js";

function kindColour(entry: HistoryEntry, paint: Paint): (text: string) => string {
  if (entry.kind === "action") {
    const outcome = entry.detail.outcome;
    return outcome === "failed" || outcome === "interrupted" ? paint.red : outcome === "succeeded" ? paint.green : paint.yellow;
  }
  if (entry.kind === "note" && entry.detail.level === "err") return paint.red;
  if (entry.kind === "pause" || (entry.kind === "note" && entry.detail.level === "warning")) return paint.yellow;
  return (text: string) => text;
}

/** History lines: time, kind, summary. */
export function renderHistory(entries: HistoryEntry[], paint: Paint): string {
  if (entries.length === 0) return "No history recorded yet.\n";
  const lines = entries.map((entry) => `${paint.dim(formatClock(entry.at))}  ${kindColour(entry, paint)(entry.kind.padEnd(11))}  ${entry.summary}`);
  return `${lines.join("\n")}\n`;
}

/** Boot lines: boot id, first seen, time to healthy. */
export function renderBoots(boots: BootRecord[], paint: Paint): string {
  if (boots.length === 0) return "No boots recorded yet.\n";
  const lines = [paint.bold(`${"BOOT".padEnd(34)}  ${"FIRST SEEN".padEnd(19)}  TIME TO HEALTHY`)];
  for (const boot of boots) {
    const healthy = boot.timeToHealthyMs === null ? paint.yellow("not healthy yet") : paint.green(formatDuration(boot.timeToHealthyMs));
    lines.push(`${boot.bootId.padEnd(34)}  ${formatClock(boot.firstSeenAt)}  ${healthy}`);
  }
  return `${lines.join("\n")}\n`;
}
