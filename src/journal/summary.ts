// Readable one-line summaries for `history`: what a person scanning the list needs, in words.
import type { HistoryKind } from "./types.js";

/** "850ms", "45s", "2m", "1h5m", "2d3h": the largest two units, rounded down. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const units: Array<[string, number]> = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]];
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith("0")).join("") || "0s";
}

type Detail = Record<string, unknown>;
const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

/** The summary line for one history entry, from its kind and detail. */
export function summarize(kind: HistoryKind, detail: Detail): string {
  switch (kind) {
    case "boot":
      return detail.event === "healthy"
        ? `boot ${text(detail.bootId)} healthy after ${formatDuration(num(detail.timeToHealthyMs) ?? 0)}`
        : `boot ${text(detail.bootId)} first seen`;
    case "phase":
      return `phase ${text(detail.from) || "(start)"} → ${text(detail.to)}: ${text(detail.why)}`;
    case "observation":
      return `${text(detail.probe)} ${text(detail.status)}: ${text(detail.reason)}`;
    case "action":
      return summarizeAction(detail);
    case "pause":
      return summarizePause(detail);
    case "note":
      return `${text(detail.level)}: ${text(detail.message)}`;
  }
}

function summarizeAction(detail: Detail): string {
  const kind = text(detail.kind);
  const started = num(detail.startedAt);
  const finished = num(detail.finishedAt);
  const took = started !== null && finished !== null ? ` after ${formatDuration(finished - started)}` : "";
  switch (detail.outcome) {
    case "planned":
      return `${kind} planned: ${text(detail.why)}`;
    case "started":
      return `${kind} started: ${text(detail.why)}`;
    case "succeeded":
      return `${kind} succeeded${took}: ${text(detail.detail) || text(detail.why)}`;
    case "failed":
      return `${kind} failed${took}: ${text(detail.detail)}`;
    case "interrupted":
      return `${kind} interrupted: ${text(detail.detail)}`;
    default:
      return `${kind} (dry run, not done): ${text(detail.why)}`;
  }
}

function summarizePause(detail: Detail): string {
  if (detail.event === "ended") return `pause ended: ${text(detail.endedHow)}`;
  const length = (num(detail.until) ?? 0) - (num(detail.at) ?? 0);
  return `paused for ${formatDuration(length)} by ${text(detail.by)}: ${text(detail.reason)}`;
}
