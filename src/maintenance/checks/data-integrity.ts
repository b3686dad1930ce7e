// Opt-in: a configured SQL count (the runbook's `SELECT COUNT(*) FROM tracks`) run with psql in the
// postgres pod as the configured user, kept in SQLite. A drop of more than the configured percent
// since the previous run is crit: the database may have lost data.
import type { MaintenanceConfig } from "../../config/maintenance-schema.js";
import type { MaintenanceStore } from "../../journal/maintenance.js";
import type { ExecResult, PodExec } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type MaintenanceCheck } from "../types.js";

/** psql's argv for a single number: unaligned, tuples only, stop on error. */
export function countCommand(settings: MaintenanceConfig["dataIntegrity"]): string[] {
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

/** Judge the count against the previous one. */
export function interpretDataCount(query: string, count: number, previous: { at: number; count: number } | null, dropPercent: number, namespace = "songnodes"): CheckResult {
  if (previous === null || previous.count === 0) return fromFindings([], `${query}: ${count} (first count kept)`);
  const drop = ((previous.count - count) / previous.count) * 100;
  if (drop > dropPercent) {
    return fromFindings([{
      key: `data:drop:${previous.count}->${count}`, level: "crit",
      text: `${query} fell from ${previous.count} to ${count} (${drop.toFixed(1)} %, more than ${dropPercent} %): the database may have lost data: see the restore procedure`,
      next: `kubectl -n ${namespace} get jobs -l app=postgres-backup, then follow the restore procedure (docs/maintenance.md)`,
    }], "");
  }
  return fromFindings([], `${query}: ${count} (previous ${previous.count})`);
}

/** The check; each count is kept, and compared with the one before. */
export function createDataIntegrityCheck(deps: { exec: PodExec; store: MaintenanceStore; namespace: string; now: () => number; settings: MaintenanceConfig["dataIntegrity"] }): MaintenanceCheck {
  const { settings } = deps;
  return {
    name: "data-integrity",
    cadence: "data",
    async run(signal) {
      const result = await deps.exec.exec({ namespace: deps.namespace, pod: settings.pod, container: settings.container }, countCommand(settings), { timeoutMs: settings.timeout, maxOutputBytes: 4096 }, signal);
      const count = parseCount(result);
      if (typeof count === "string") return cannotLook(count, `kubectl -n ${deps.namespace} exec ${settings.pod} -- psql -U ${settings.user} -d ${settings.database} -c "${settings.query}"`);
      const previous = deps.store.lastCount(settings.query);
      deps.store.recordCount(settings.query, count, deps.now());
      return interpretDataCount(settings.query, count, previous, settings.dropPercent, deps.namespace);
    },
  };
}
