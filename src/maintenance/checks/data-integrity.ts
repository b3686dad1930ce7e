// Opt-in: a configured SQL count (the runbook's `SELECT COUNT(*) FROM tracks`) run with psql in the
// postgres pod as the configured user, kept in SQLite. A drop of more than the configured percent
// since the previous count is crit: the database may have lost data. It runs on its schedule and,
// the same check, once after every boot (the runbook's "verify data integrity" after a reboot),
// never while the node is not healthy, so the first count of a boot is compared with the last one
// before it. A count that cannot be taken is a warning, never a crit: nothing is known to be lost.
import type { MaintenanceStore } from "../../journal/maintenance.js";
import type { DataCountSettings } from "../data-count-settings.js";
import type { ExecResult, PodExec } from "../ports.js";
import { COMMAND_MARGIN_MS, fromFindings, type CheckResult, type MaintenanceCheck } from "../types.js";

/** psql's argv for a single number: unaligned, tuples only, stop on error. */
export function countCommand(settings: DataCountSettings): string[] {
  return ["psql", "-U", settings.user, "-d", settings.database, "-At", "-v", "ON_ERROR_STOP=1", "-c", settings.query];
}

/** The count in psql's output, or why there is none. */
export function parseCount(result: ExecResult): number | string {
  if (result.error !== null) return `cannot run the count: ${result.error}`;
  if (result.timedOut) return "the count did not finish in time";
  if (result.exitCode !== 0) return `psql exited ${result.exitCode}: ${result.stderr.trim().split("\n").at(-1) ?? ""}`;
  const text = result.stdout.trim();
  return /^\d+$/.test(text) ? Number(text) : `psql printed no single count: ${JSON.stringify(text.slice(0, 80))}`;
}

/** Where a person goes when rows are gone: the runbook's restore, as docs/runbook.md names it. */
const RESTORE = "follow the restore procedure (docs/runbook.md, \"If the database lost data\")";

/** Judge the count against the previous one. */
export function interpretDataCount(query: string, count: number, previous: { at: number; count: number } | null, dropPercent: number, namespace = "songnodes"): CheckResult {
  if (previous === null || previous.count === 0) return fromFindings([], `${query}: ${count} (first count kept)`);
  const drop = ((previous.count - count) / previous.count) * 100;
  if (drop > dropPercent) {
    return fromFindings([{
      key: `data:drop:${previous.count}->${count}`, level: "crit",
      text: `${query} fell from ${previous.count} to ${count} (${drop.toFixed(1)} %, more than ${dropPercent} %): the database may have lost data: see the restore procedure`,
      next: `kubectl -n ${namespace} get jobs -l app=postgres-backup, then ${RESTORE}`,
    }], "");
  }
  return fromFindings([], `${query}: ${count} (previous ${previous.count})`);
}

/** A count that could not be taken: unknown, with one warning so a person hears the check is blind. */
export function couldNotCount(why: string, command: string): CheckResult {
  return {
    level: "unknown", reason: `could not count: ${why}`, next: command,
    findings: [{ key: "data:could-not-count", level: "warn", text: `could not count: ${why}; the data-integrity check is blind until it can`, next: command }],
  };
}

/** Why the count should run now: this boot has no count yet. Pure. */
export function countDueAfterBoot(boot: { id: string; since: number } | null, lastRunAt: number | null, counted: ReadonlySet<string>): string | null {
  if (boot === null || counted.has(boot.id)) return null;
  if (lastRunAt !== null && lastRunAt >= boot.since) return null;
  return `after boot ${boot.id.slice(0, 8)}`;
}

/** The check; each count is kept, and compared with the one before. `boot` is the journal's current boot. */
export function createDataIntegrityCheck(deps: { exec: PodExec; store: MaintenanceStore; namespace: string; now: () => number; settings: DataCountSettings; boot?: () => { id: string; since: number } | null }): MaintenanceCheck {
  const { settings } = deps;
  // Boots this process already counted in: a wall clock stepped back cannot ask twice. Marked when a
  // run happens, not when one is asked for: a run held back (the node unhealthy again) is asked again.
  const counted = new Set<string>();
  const command = `kubectl -n ${deps.namespace} exec ${settings.pod} -- psql -U ${settings.user} -d ${settings.database} -c "${settings.query}"`;
  const boot = deps.boot;
  return {
    name: "data-integrity",
    cadence: "data",
    whenHealthy: true,
    timeoutMs: settings.timeout + COMMAND_MARGIN_MS,
    ...(settings.afterBoot && boot ? {
      trigger: async ({ lastRunAt }) => countDueAfterBoot(boot(), lastRunAt, counted),
    } : {}),
    async run(signal) {
      const current = boot?.();
      if (current) counted.add(current.id);
      const result = await deps.exec.exec({ namespace: deps.namespace, pod: settings.pod, container: settings.container }, countCommand(settings), { timeoutMs: settings.timeout, maxOutputBytes: 4096 }, signal);
      const count = parseCount(result);
      if (typeof count === "string") return couldNotCount(count, command);
      const previous = deps.store.lastCount(settings.query);
      deps.store.recordCount(settings.query, count, deps.now());
      return interpretDataCount(settings.query, count, previous, settings.dropPercent, deps.namespace);
    },
  };
}
