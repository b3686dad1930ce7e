// The daemon's triggers: one node-cron task per schedule, in the node's time zone, each asking the
// runner what is due (never running a check itself, so a task can neither overlap a run nor miss
// a catch-up). A sweep every 15 minutes catches what a trigger missed: a slot inside a
// spring-forward gap (node-cron never fires there), a suspended machine, a clock step.
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../ports.js";
import type { MaintenanceRunner } from "./runner.js";

const SWEEP = "*/15 * * * *";

/** Start the triggers; the first look comes after `catchUpDelayMs` (let a boot recover first). Returns stop(). */
export function startCronTriggers(deps: { runner: MaintenanceRunner; expressions: readonly string[]; timeZone: string; catchUpDelayMs: number; logger: Logger }): () => Promise<void> {
  const look = (why: string) => {
    void deps.runner.runDue().catch((error: Error) => deps.logger.warn(`maintenance: ${why} failed: ${error.message}`));
  };
  let tasks: ScheduledTask[] = [];
  const begin = () => {
    const expressions = [...new Set([...deps.expressions, SWEEP])];
    // noOverlap: a slow look is never started twice; unref: the triggers never keep the process alive.
    tasks = expressions.map((expression) => cron.schedule(expression, () => look(`the ${expression} trigger`), { timezone: deps.timeZone, noOverlap: true, name: `maintenance ${expression}` }));
    for (const task of tasks) task.unref();
    look("the catch-up after start");
  };
  const delay = setTimeout(begin, deps.catchUpDelayMs);
  delay.unref();
  return async () => {
    clearTimeout(delay);
    await Promise.all(tasks.map((task) => task.destroy()));
  };
}
