// Weekly: failed Jobs in the namespace (backups included), and CronJobs whose newest Job failed.
import { failed, type ApiObject, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";
import { jobOutcome } from "./backup-freshness.js";

/** Judge the Jobs: each one Failed is a warn (crit for the backup's), naming its reason. */
export function interpretFailedJobs(jobs: readonly ApiObject[], cronJobs: readonly ApiObject[], namespace: string, backupCronJob: string): CheckResult {
  const findings: Finding[] = [];
  const owner = (job: ApiObject) => (job.metadata?.ownerReferences ?? []).find((o: ApiObject) => o.kind === "CronJob")?.name as string | undefined;
  for (const job of jobs) {
    const outcome = jobOutcome(job);
    if (outcome.outcome !== "failed") continue;
    const cron = owner(job);
    findings.push({
      key: `job:${outcome.name}:failed`, level: cron === backupCronJob ? "crit" : "warn",
      text: `Job ${outcome.name}${cron ? ` (CronJob ${cron})` : ""} failed${outcome.reason ? `: ${outcome.reason}` : ""}`,
      next: `kubectl -n ${namespace} logs job/${outcome.name} && kubectl -n ${namespace} describe job ${outcome.name}`,
    });
  }
  return fromFindings(findings, `no failed Jobs among ${jobs.length} in ${namespace} (${cronJobs.length} CronJobs)`);
}

/** The check. */
export function createFailedJobsCheck(deps: { kube: MaintenanceKube; namespace: string; backupCronJob: string }): MaintenanceCheck {
  return {
    name: "failed-jobs",
    cadence: "weekly",
    async run(signal) {
      const [jobs, cronJobs] = await Promise.all([deps.kube.jobs(deps.namespace, signal), deps.kube.cronJobs(deps.namespace, signal)]);
      if (failed(jobs)) return cannotLook(`cannot list Jobs: ${jobs.error}`, `kubectl -n ${deps.namespace} get jobs`);
      if (failed(cronJobs)) return cannotLook(`cannot list CronJobs: ${cronJobs.error}`, `kubectl -n ${deps.namespace} get cronjobs`);
      return interpretFailedJobs(jobs, cronJobs, deps.namespace, deps.backupCronJob);
    },
  };
}
