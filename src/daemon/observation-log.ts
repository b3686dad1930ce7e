// How probe changes reach journald. Every change still goes to the SQLite journal; the log says a
// probe going bad once, at warning, and keeps the rest at debug: a k3s that restarts every few
// seconds changes its unit's reason on every tick, and 60 warnings in 90 s hide what matters. A
// summary line (at most one per probe per interval) says how much was held back. After the
// daemon gave up it is quiet: its reminder is the only thing a person needs to read.
import type { Health, Phase, ProbeName } from "../core/types.js";
import type { Logger } from "../ports.js";
import { formatDuration } from "../config/duration.js";

/** One line to log, or nothing. Pure data, so the policy is a table test. */
export interface LogLine {
  level: "debug" | "info" | "warn";
  message: string;
  fields: Record<string, unknown>;
}

/** What the policy remembers of one probe. */
interface ProbeMemory {
  /** The not-ok status last logged at warning, and when; null once ok was logged after it. */
  warnedAt: number | null;
  /** Changes held back at debug since the last warning or summary. */
  heldBack: number;
  /** When the last warning or summary was written. */
  lastLoudAt: number;
}

/** Five minutes: "at most one summary line every few minutes". */
export const SUMMARY_INTERVAL_MS = 5 * 60_000;

/** The policy's memory, per probe; start with an empty object. */
export type ObservationLogMemory = Partial<Record<ProbeName, ProbeMemory>>;

/** Decide how to log one probe change at `now`, while the daemon is in `phase`. Mutates `memory`. */
export function observationLine(memory: ObservationLogMemory, probe: ProbeName, status: Health, reason: string, now: number, phase: Phase, intervalMs = SUMMARY_INTERVAL_MS): LogLine {
  const fields = { probe, status };
  const message = `${probe} ${status}: ${reason}`;
  const seen = (memory[probe] ??= { warnedAt: null, heldBack: 0, lastLoudAt: Number.NEGATIVE_INFINITY });
  const quiet = phase === "gave-up";
  if (status === "ok") {
    // Recovery is worth a line when its going-bad was; otherwise it was never news.
    const wasWarned = seen.warnedAt !== null;
    seen.warnedAt = null;
    return { level: wasWarned && !quiet ? "info" : "debug", message, fields };
  }
  if (quiet || now - seen.lastLoudAt < intervalMs) {
    seen.heldBack += 1;
    return { level: "debug", message, fields };
  }
  const held = seen.heldBack;
  const over = Number.isFinite(seen.lastLoudAt) ? ` in the last ${formatDuration(now - seen.lastLoudAt)}` : "";
  const heldText = held === 0 ? "" : ` (${held} more change(s)${over} logged at debug)`;
  seen.heldBack = 0;
  seen.lastLoudAt = now;
  if (seen.warnedAt === null) {
    seen.warnedAt = now;
    return { level: "warn", message: `${message}${heldText}`, fields };
  }
  return { level: "info", message: `${probe} still ${status}${heldText}: ${reason}`, fields: { ...fields, heldBack: held } };
}

/** The policy bound to a logger: the loop calls `log` for each changed probe. */
export function createObservationLog(logger: Logger, intervalMs = SUMMARY_INTERVAL_MS) {
  const memory: ObservationLogMemory = {};
  return {
    log(probe: ProbeName, reading: { status: Health; reason: string }, now: number, phase: Phase): void {
      const line = observationLine(memory, probe, reading.status, reading.reason, now, phase, intervalMs);
      logger[line.level](line.message, line.fields);
    },
  };
}
