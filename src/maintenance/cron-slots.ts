// Pure schedule arithmetic on the node's local wall clock, with node-cron's own parser. A slot is a
// local wall-clock minute that matches the expression; comparing in wall-clock time (not UTC) makes
// daylight-saving changes come out right: a slot inside a spring-forward gap is due at the jump
// (as Vixie cron does), and a fall-back hour that repeats does not make a slot due twice.
import cron from "node-cron";

/** A parsed five-field expression: the matching minutes, hours, days of month, months, weekdays. */
export interface CronSchedule {
  expression: string;
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
}

const DAY = 86_400_000;
// How far back a previous slot is searched: a monthly slot is always within this.
const SEARCH_DAYS = 400;

/** Parse `expression` (five fields, no seconds); a string says why it is not usable. */
export function parseCron(expression: string): CronSchedule | string {
  if (expression.trim().split(/\s+/).length !== 5) return `not a five-field cron expression (minute hour day month weekday): ${JSON.stringify(expression)}`;
  if (!cron.validate(expression)) return `not a valid cron expression: ${JSON.stringify(expression)}`;
  const fields = cron.parse(expression);
  const numbers = (values: (number | string)[]) => values.filter((v): v is number => typeof v === "number");
  if (fields.dayOfMonth.some((v) => typeof v !== "number") || fields.dayOfWeek.some((v) => typeof v !== "number")) {
    return `only numeric day fields are supported: ${JSON.stringify(expression)}`;
  }
  return {
    expression,
    minutes: [...fields.minute].sort((a, b) => a - b),
    hours: [...fields.hour].sort((a, b) => a - b),
    days: new Set(numbers(fields.dayOfMonth)),
    months: new Set(fields.month),
    // node-cron accepts 7 for Sunday.
    weekdays: new Set(numbers(fields.dayOfWeek).map((d) => d % 7)),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is an IANA zone this Node.js knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock time of `ms` in `timeZone`, as ms on a UTC-less scale (read with getUTC*). */
export function wallClock(ms: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall + (ms % 1000 + 1000) % 1000;
}

/** The instant a wall-clock time happens first (a time inside a spring-forward gap: the jump). */
export function instantOf(wall: number, timeZone: string): number {
  // The offsets half a day either side cover any single daylight-saving change.
  const offset = (at: number) => wallClock(at, timeZone) - at;
  const candidates = [wall - offset(wall - DAY / 2), wall - offset(wall + DAY / 2)].sort((a, b) => a - b);
  const exact = candidates.find((t) => wallClock(t, timeZone) === wall);
  if (exact !== undefined) return exact;
  // Inside a gap: the first minute whose wall time is past it is the jump.
  let t = candidates[0]!;
  while (wallClock(t, timeZone) < wall) t += 60_000;
  return t;
}

function dayMatches(schedule: CronSchedule, dayStart: number): boolean {
  const at = new Date(dayStart);
  return schedule.days.has(at.getUTCDate()) && schedule.months.has(at.getUTCMonth() + 1) && schedule.weekdays.has(at.getUTCDay());
}

/** The latest slot at or before wall time `wall` (a wall-clock ms), or null within the search span. */
export function previousSlotWall(schedule: CronSchedule, wall: number): number | null {
  const today = Math.floor(wall / DAY) * DAY;
  for (let day = today; day > today - SEARCH_DAYS * DAY; day -= DAY) {
    if (!dayMatches(schedule, day)) continue;
    for (let h = schedule.hours.length - 1; h >= 0; h--) {
      for (let m = schedule.minutes.length - 1; m >= 0; m--) {
        const slot = day + schedule.hours[h]! * 3_600_000 + schedule.minutes[m]! * 60_000;
        if (slot <= wall) return slot;
      }
    }
  }
  return null;
}

/** The first slot strictly after wall time `wall`, or null within the search span. */
export function nextSlotWall(schedule: CronSchedule, wall: number): number | null {
  const today = Math.floor(wall / DAY) * DAY;
  for (let day = today; day < today + SEARCH_DAYS * DAY; day += DAY) {
    if (!dayMatches(schedule, day)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const slot = day + hour * 3_600_000 + minute * 60_000;
        if (slot > wall) return slot;
      }
    }
  }
  return null;
}

/** When the check runs next after `now` (an instant), in `timeZone`. */
export function nextRunAt(schedule: CronSchedule, timeZone: string, now: number): number | null {
  const wall = nextSlotWall(schedule, wallClock(now, timeZone));
  return wall === null ? null : instantOf(wall, timeZone);
}
