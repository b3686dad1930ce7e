// How a log line looks. pino produces one JSON object a line; under journald (and on a terminal)
// that JSON is rewritten so the message a person reads comes first:
//
//   <4>restart-k3s: k3s.service failed for 45s {"kind":"restart-k3s","unit":"k3s.service"}
//
// `<N>` is the syslog priority that journald's stdout stream strips and stores as PRIORITY=, so
// `journalctl -p warning -u songnodes-watchdog` filters. No time, pid or host: journald adds those.

/** pino's numeric levels → syslog priorities (debug 7, info 6, warning 4, err 3, crit 2). */
export function syslogPriority(pinoLevel: number): number {
  if (pinoLevel >= 60) return 2;
  if (pinoLevel >= 50) return 3;
  if (pinoLevel >= 40) return 4;
  if (pinoLevel >= 30) return 6;
  return 7;
}

const LEVEL_NAMES: Array<[number, string]> = [[60, "FATAL"], [50, "ERROR"], [40, "WARN"], [30, "INFO"], [20, "DEBUG"], [0, "TRACE"]];

// pino's own keys; everything else on the line is a field the caller passed.
const PINO_KEYS = new Set(["level", "time", "msg", "pid", "hostname"]);

interface ParsedLine {
  level: number;
  time: number | null;
  message: string;
  fields: Record<string, unknown>;
}

function parse(jsonLine: string): ParsedLine | null {
  try {
    const record = JSON.parse(jsonLine) as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !PINO_KEYS.has(key)));
    return {
      level: typeof record.level === "number" ? record.level : 30,
      time: typeof record.time === "number" ? record.time : null,
      // journald splits entries at newlines: a message with one would lose its priority on line two.
      message: String(record.msg ?? "").replace(/\r?\n/g, "\\n"),
      fields,
    };
  } catch {
    return null;
  }
}

function fieldsText(fields: Record<string, unknown>): string {
  return Object.keys(fields).length === 0 ? "" : ` ${JSON.stringify(fields)}`;
}

/** One pino JSON line → `<N>message {fields}` for journald. */
export function formatJournaldLine(jsonLine: string): string {
  const line = parse(jsonLine);
  if (line === null) return `<6>${jsonLine.trimEnd().replace(/\r?\n/g, "\\n")}\n`;
  return `<${syslogPriority(line.level)}>${line.message}${fieldsText(line.fields)}\n`;
}

/** One pino JSON line → `2024-05-01T08:00:00.000Z WARN  message {fields}` for a terminal. */
export function formatTextLine(jsonLine: string): string {
  const line = parse(jsonLine);
  if (line === null) return jsonLine.endsWith("\n") ? jsonLine : `${jsonLine}\n`;
  const name = LEVEL_NAMES.find(([value]) => line.level >= value)?.[1] ?? "INFO";
  const time = line.time === null ? "" : `${new Date(line.time).toISOString()} `;
  return `${time}${name.padEnd(5)} ${line.message}${fieldsText(line.fields)}\n`;
}
