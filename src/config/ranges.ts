// The sane range of every duration and count in the config file. A value outside its range is a
// typo or an attack, never a tuning: window 0 turns the budgets off, a tick of 1e12 ms overflows
// Node's timers into 1 ms, a probe timeout of 0 blinds the daemon for ever. docs/configuration.md
// lists the same ranges; the schema refuses anything outside them (exit 78).
import { parseDuration } from "./duration.js";

/** Inclusive bounds in milliseconds, written the way the docs show them. */
export interface DurationRange {
  min: string;
  max: string;
}

/** Inclusive bounds of a count. */
export interface CountRange {
  min: number;
  max: number;
}

/** The loop's periodic wake-up: below 100 ms it is a busy loop, above 5 min the node waits too long. */
export const TICK: DurationRange = { min: "100ms", max: "5m" };
/** A probe's own timeout: 0 would make every probe unknown for ever. */
export const PROBE_TIMEOUT: DurationRange = { min: "100ms", max: "2m" };
/** Hold-offs, budgets of time and verification windows: 0 would act on the first bad reading. */
export const HOLD_OFF: DurationRange = { min: "1s", max: "1d" };
/** The cooldown after giving up and a budget's sliding window: 0 would lift every limit. */
export const WINDOW: DurationRange = { min: "1m", max: "7d" };
/** How long one remedy may run before its process group is killed. */
export const ACTION_TIMEOUT: DurationRange = { min: "100ms", max: "30m" };
/** How long journal rows are kept. */
export const RETENTION: DurationRange = { min: "1h", max: "365d" };
/** How often the journal is pruned: 0 would prune in a tight loop. */
export const PRUNE_EVERY: DurationRange = { min: "1m", max: "1d" };
/** A disruptive remedy (k3s restart, killall, registry restart) per window; 0 turns it off. */
export const REMEDY_MAX: CountRange = { min: 0, max: 20 };
/** Pod clean-up actions per window; 0 turns pod clean-up off. */
export const DELETE_PODS_MAX: CountRange = { min: 0, max: 1000 };
/** k3s failures within the flapping window that make it flapping: 1 would call every failure flapping. */
export const FLAPPING_FAILURES: CountRange = { min: 2, max: 100 };
/** How often a lasting condition is said again: below an hour it is noise. */
export const REMIND_EVERY: DurationRange = { min: "1h", max: "30d" };
/** The journal file's size cap: 1 MiB to 1 GiB. */
export const JOURNAL_BYTES: CountRange = { min: 1_048_576, max: 1_073_741_824 };

/** A range's bounds in milliseconds. */
export function rangeMs(range: DurationRange): { min: number; max: number } {
  return { min: parseDuration(range.min) as number, max: parseDuration(range.max) as number };
}
