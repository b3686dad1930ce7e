// The daemon's Logger port over pino. Three line formats, chosen by the caller (the wiring asks
// stdoutIsJournal): journald (`<N>message {fields}`), readable text on a terminal, or pino's JSON.
import pino from "pino";
import type { Logger } from "../ports.js";
import { formatJournaldLine, formatTextLine } from "./line-format.js";

/** The levels the Logger port has. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Where lines go: anything with a write(string), e.g. process.stdout or a test's stream. */
export interface LineSink {
  write(line: string): unknown;
}

/** How to log. */
export interface LoggerOptions {
  level: LogLevel;
  /** stdout is journald's stream: prefix each line with its syslog priority. */
  journald: boolean;
  /** Default: stdout, written synchronously so the last lines before a crash are not lost. */
  destination?: LineSink;
  /** Readable lines instead of JSON when not under journald. Default: when stdout is a TTY. */
  pretty?: boolean;
}

// Field names pino uses itself; a caller's field of that name is renamed, not lost or clashing.
const RESERVED = new Set(["level", "time", "msg", "pid", "hostname"]);

/** Builds the Logger the daemon uses. */
export function createLogger(options: LoggerOptions): Logger {
  const sink = options.destination ?? pino.destination({ dest: 1, sync: true });
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const format = options.journald ? formatJournaldLine : pretty ? formatTextLine : null;
  const destination = format === null ? sink : { write: (line: string) => sink.write(format(line)) };
  const log = pino(
    {
      level: options.level,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination as pino.DestinationStream,
  );
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (fields === undefined) log[level](message);
    else log[level](safeFields(fields), message);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(fields).some((key) => RESERVED.has(key))) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED.has(key) ? `${key}_` : key, value]));
}
