// Weekly: the newest backup Job completed, and, when the operator turned it on, a command run in
// the postgres pod reads the newest dump whole (their own, or by default pg_restore on the newest dump). The command must read the whole archive
// (`pg_restore -f /dev/null DUMP`): `pg_restore --list` exits 0 on a dump cut off halfway, because
// the table of contents sits at the front. Its exit status and stderr say whether the dump is readable.
import type { MaintenanceConfig } from "../../config/maintenance-schema.js";
import { failed, type ApiObject, type ExecResult, type MaintenanceKube, type PodExec } from "../ports.js";
import { cannotLook, COMMAND_MARGIN_MS, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";
import { jobsOf } from "./backup-freshness.js";

// The default dump check: the newest file matching the glob ($1, expanded by the shell), read whole.
// "No dump" exits 3 with a sentence, so it reads as a dump that cannot be read, not as a pass.
const NEWEST_DUMP_SCRIPT = 'newest=$(ls -t $1 2>/dev/null | head -n 1); if [ -z "$newest" ]; then echo "no dump matches $1" >&2; exit 3; fi; exec pg_restore -f /dev/null "$newest"';

/** The command the check runs, and how a person would read it; null: no dump check. */
export function dumpCheckCommand(settings: Pick<MaintenanceConfig["backupIntegrity"], "command" | "readDump" | "dumps">): { argv: string[]; shown: string } | null {
  if (settings.command !== null) return { argv: settings.command, shown: settings.command.join(" ") };
  if (!settings.readDump) return null;
  return { argv: ["sh", "-c", NEWEST_DUMP_SCRIPT, "sh", settings.dumps], shown: `pg_restore -f /dev/null <newest of ${settings.dumps}>` };
}

/** Judge the newest backup Job and the command's result (null: no command configured). */
export function interpretBackupIntegrity(input: { namespace: string; cronJob: string; jobs: readonly ApiObject[]; command: readonly string[] | null; result: ExecResult | null; shown?: string }): CheckResult {
  const ns = input.namespace;
  const findings: Finding[] = [];
  const newest = jobsOf(input.cronJob, input.jobs).at(-1) ?? null;
  if (newest === null) {
    findings.push({ key: "integrity:no-job", level: "crit", text: `no ${input.cronJob} Job on record`, next: `kubectl -n ${ns} get jobs` });
  } else if (newest.outcome !== "complete") {
    findings.push({ key: `integrity:job:${newest.name}:${newest.outcome}`, level: newest.outcome === "failed" ? "crit" : "warn", text: `the newest backup Job ${newest.name} is ${newest.outcome === "failed" ? "failed" : "not complete"}${newest.reason ? ` (${newest.reason})` : ""}`, next: `kubectl -n ${ns} logs job/${newest.name}` });
  }
  const shown = input.shown ?? input.command?.join(" ") ?? "";
  const r = input.result;
  if (input.command !== null && r !== null) {
    const next = `kubectl -n ${ns} exec postgres-0 -- ${shown}`;
    if (r.error !== null) findings.push({ key: "integrity:exec-error", level: "unknown", text: `cannot run the dump check: ${r.error}`, next });
    else if (r.timedOut) findings.push({ key: "integrity:timeout", level: "unknown", text: "the dump check did not finish in time", next });
    else if (r.exitCode !== 0) {
      const stderr = r.stderr.trim().split("\n").slice(-3).join(" / ");
      findings.push({ key: "integrity:unreadable", level: "crit", text: `the newest dump is not readable: \`${shown}\` exited ${r.exitCode}${stderr ? `: ${stderr}` : ""}`, next });
    }
  }
  const checked = input.command === null ? "no dump check configured" : "the newest dump reads whole";
  return fromFindings(findings, `newest backup Job ${newest?.name ?? "?"} completed; ${checked}`);
}

/** The check. */
export function createBackupIntegrityCheck(deps: { kube: MaintenanceKube; exec: PodExec; namespace: string; cronJob: string; settings: MaintenanceConfig["backupIntegrity"] }): MaintenanceCheck {
  const { settings } = deps;
  const dumpCheck = dumpCheckCommand(settings);
  return {
    name: "backup-integrity",
    cadence: "weekly",
    // The dump check's own timeout (10 min by default) is longer than the check timeout (2 min).
    ...(dumpCheck !== null ? { timeoutMs: settings.timeout + COMMAND_MARGIN_MS } : {}),
    async run(signal) {
      const jobs = await deps.kube.jobs(deps.namespace, signal);
      if (failed(jobs)) return cannotLook(`cannot list Jobs: ${jobs.error}`, `kubectl -n ${deps.namespace} get jobs`);
      const result = dumpCheck === null ? null : await deps.exec.exec(
        { namespace: deps.namespace, pod: settings.pod, container: settings.container }, dumpCheck.argv,
        { timeoutMs: settings.timeout, maxOutputBytes: settings.maxOutputBytes }, signal,
      );
      return interpretBackupIntegrity({ namespace: deps.namespace, cronJob: deps.cronJob, jobs, command: dumpCheck?.argv ?? null, result, ...(dumpCheck ? { shown: dumpCheck.shown } : {}) });
    },
  };
}
