// Daily: the postgres-backup CronJob's newest successful Job is recent, no backup Job failed since,
// and the CronJob is not suspended. Read from the Jobs' own conditions: a backup run by hand
// (`kubectl create job --from=cronjob/postgres-backup`) never updates the CronJob's lastSuccessfulTime.
import { toEpochMs } from "../../kube/pod-json.js";
import { formatDuration } from "../../config/duration.js";
import { failed, type ApiObject, type MaintenanceKube } from "../ports.js";
import { cannotLook, fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

/** A Job's outcome from its conditions: Complete or Failed (True), else still running. */
export interface JobOutcome {
  name: string;
  startedAt: number | null;
  finishedAt: number | null;
  outcome: "complete" | "failed" | "running";
  reason: string;
}

/** The outcome of one Job object. */
export function jobOutcome(job: ApiObject): JobOutcome {
  const conditions: ApiObject[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  const done = conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  const startedAt = toEpochMs(job.status?.startTime ?? job.metadata?.creationTimestamp);
  if (!done) return { name: String(job.metadata?.name ?? ""), startedAt, finishedAt: null, outcome: "running", reason: "" };
  return {
    name: String(job.metadata?.name ?? ""), startedAt,
    finishedAt: toEpochMs(job.status?.completionTime ?? done.lastTransitionTime) ?? startedAt,
    outcome: done.type === "Complete" ? "complete" : "failed",
    reason: [done.reason, done.message].filter(Boolean).join(": "),
  };
}

/** Jobs made from `cronJob`: owned by it (scheduled or `kubectl create job --from`), or named after it. */
export function jobsOf(cronJob: string, jobs: readonly ApiObject[]): JobOutcome[] {
  return jobs
    .filter((job) => (job.metadata?.ownerReferences ?? []).some((o: ApiObject) => o.kind === "CronJob" && o.name === cronJob) || String(job.metadata?.name ?? "").startsWith(`${cronJob}-`))
    .map(jobOutcome)
    .sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
}

/** Judge the backups. */
export function interpretBackupFreshness(input: { namespace: string; cronJobName: string; cronJob: ApiObject | null; jobs: readonly ApiObject[]; now: number; maxAgeMs: number }): CheckResult {
  const { namespace: ns, cronJobName: name } = input;
  const look = `kubectl -n ${ns} get cronjob ${name} && kubectl -n ${ns} get jobs --sort-by=.status.startTime`;
  if (input.cronJob === null) {
    return fromFindings([{ key: `backup:absent:${name}`, level: "crit", text: `CronJob ${name} not found in namespace ${ns}: nothing backs the database up`, next: `kubectl -n ${ns} get cronjobs` }], "");
  }
  const findings: Finding[] = [];
  if (input.cronJob.spec?.suspend === true) {
    findings.push({ key: `backup:suspended:${name}`, level: "crit", text: `CronJob ${name} is suspended: no backup runs`, next: `kubectl -n ${ns} patch cronjob ${name} -p '{"spec":{"suspend":false}}'` });
  }
  const jobs = jobsOf(name, input.jobs);
  const successes = jobs.filter((j) => j.outcome === "complete");
  const newest = successes.at(-1) ?? null;
  const fromCronJob = toEpochMs(input.cronJob.status?.lastSuccessfulTime);
  const lastSuccessAt = Math.max(newest?.finishedAt ?? 0, fromCronJob ?? 0) || null;
  if (lastSuccessAt === null) {
    findings.push({ key: `backup:never:${name}`, level: "crit", text: `no successful ${name} Job on record`, next: look });
  } else if (input.now - lastSuccessAt > input.maxAgeMs) {
    findings.push({ key: `backup:stale:${name}`, level: "crit", text: `the newest successful backup is ${formatDuration(input.now - lastSuccessAt)} old (more than ${formatDuration(input.maxAgeMs)})`, next: look });
  }
  for (const job of jobs.filter((j) => j.outcome === "failed" && (j.startedAt ?? 0) >= (newest?.startedAt ?? 0))) {
    findings.push({ key: `backup:failed:${job.name}`, level: "crit", text: `backup Job ${job.name} failed${job.reason ? ` (${job.reason})` : ""} and no backup succeeded since`, next: `kubectl -n ${ns} logs job/${job.name}` });
  }
  const age = lastSuccessAt === null ? "" : `${formatDuration(input.now - lastSuccessAt)} ago`;
  return fromFindings(findings, `newest successful backup ${newest?.name ?? name} finished ${age}`);
}

/** The check. */
export function createBackupFreshnessCheck(deps: { kube: MaintenanceKube; namespace: string; cronJob: string; maxAgeMs: number; now: () => number }): MaintenanceCheck {
  return {
    name: "backup-freshness",
    cadence: "daily",
    async run(signal) {
      const [cronJobs, jobs] = await Promise.all([deps.kube.cronJobs(deps.namespace, signal), deps.kube.jobs(deps.namespace, signal)]);
      if (failed(cronJobs)) return cannotLook(`cannot list CronJobs: ${cronJobs.error}`, `kubectl -n ${deps.namespace} get cronjobs`);
      if (failed(jobs)) return cannotLook(`cannot list Jobs: ${jobs.error}`, `kubectl -n ${deps.namespace} get jobs`);
      const cronJob = cronJobs.find((c) => c.metadata?.name === deps.cronJob) ?? null;
      return interpretBackupFreshness({ namespace: deps.namespace, cronJobName: deps.cronJob, cronJob, jobs, now: deps.now(), maxAgeMs: deps.maxAgeMs });
    },
  };
}
