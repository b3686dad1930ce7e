// Enough of cron's five fields for the chart's CronJobs ("0 2 * * *", "0 */2 * * *", "17 * * * *"),
// evaluated in UTC as k3s's CronJob controller does without a timeZone.

function fieldMatches(field: string, value: number): boolean {
  return field.split(",").some((part) => {
    if (part === "*") return true;
    const step = /^\*\/(\d+)$/.exec(part);
    if (step) return value % Number(step[1]) === 0;
    return Number(part) === value;
  });
}

/** Whether `schedule` fires in the minute starting at `ms`. */
export function cronMatches(schedule: string, ms: number): boolean {
  const [minute = "*", hour = "*", day = "*", month = "*", weekday = "*"] = schedule.trim().split(/\s+/);
  const at = new Date(ms);
  return (
    fieldMatches(minute, at.getUTCMinutes()) &&
    fieldMatches(hour, at.getUTCHours()) &&
    fieldMatches(day, at.getUTCDate()) &&
    fieldMatches(month, at.getUTCMonth() + 1) &&
    fieldMatches(weekday, at.getUTCDay())
  );
}
