// Every maintenance check built from the config and its ports, each with its schedule.
import type { Config } from "../config/schema.js";
import type { MaintenanceStore } from "../journal/maintenance.js";
import type { Clock } from "../ports.js";
import { SONGNODES_CHECKLIST } from "../audit/checklist.js";
import type { RunbookKube } from "../runbook-checks/kube-objects.js";
import { createBackupFreshnessCheck } from "./checks/backup-freshness.js";
import { createBackupIntegrityCheck } from "./checks/backup-integrity.js";
import { createDataIntegrityCheck } from "./checks/data-integrity.js";
import { createDrillCheck } from "./checks/dr-drill.js";
import { createFailedJobsCheck } from "./checks/failed-jobs.js";
import { createHostDiskCheck } from "./checks/host-disk.js";
import { createImagePullCheck } from "./checks/image-pull.js";
import { createNodePressureCheck } from "./checks/node-pressure.js";
import { createPodLimitsCheck } from "./checks/pod-limits.js";
import { createPodSweepCheck } from "./checks/pod-sweep.js";
import { createPvcUsageCheck } from "./checks/pvc-usage.js";
import { createResilienceAuditCheck } from "./checks/resilience-audit.js";
import { createTrendsCheck, createUsageSampler } from "./checks/usage-trends.js";
import { parseCron, type CronSchedule } from "./cron-slots.js";
import { dataCountSettings } from "./data-count-settings.js";
import type { HostFilesystem, MaintenanceKube, PodExec } from "./ports.js";
import type { ScheduledCheck } from "./runner.js";
import type { Cadence, MaintenanceCheck } from "./types.js";

/** The I/O the checks use. */
export interface MaintenancePorts {
  kube: MaintenanceKube;
  host: HostFilesystem;
  exec: PodExec;
  /** The workloads the resilience audit reads (read only); without it there is no scheduled audit. */
  workloads?: Pick<RunbookKube, "list">;
}

/** The node's own time zone, unless the config names one. */
export function maintenanceTimeZone(config: Config): string {
  return config.maintenance.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

/** The current boot as the journal recorded it (its id and when it began), for the count after each boot. */
export type CurrentBoot = () => { id: string; since: number } | null;

/** Build every check with its schedule (the config was validated: each expression parses). */
export function buildChecks(config: Config, ports: MaintenancePorts, store: MaintenanceStore, clock: Clock, boot?: CurrentBoot): ScheduledCheck[] {
  const m = config.maintenance;
  const count = dataCountSettings(config);
  const ns = config.namespace;
  const now = () => clock.now();
  const cron = (expression: string) => parseCron(expression) as CronSchedule;
  const schedules: Record<Cadence, CronSchedule> = {
    daily: cron(m.schedules.daily), weekly: cron(m.schedules.weekly), monthly: cron(m.schedules.monthly),
    hourly: cron(m.schedules.samples), data: cron(count.schedule),
  };
  const checks: MaintenanceCheck[] = [
    createBackupFreshnessCheck({ kube: ports.kube, namespace: ns, cronJob: m.backup.cronJob, maxAgeMs: m.backup.maxAge, now }),
    createHostDiskCheck({ host: ports.host, limits: m.disk }),
    createPvcUsageCheck({ kube: ports.kube, namespace: ns, warnPercent: m.pvc.warnPercent, critPercent: m.pvc.critPercent }),
    createPodSweepCheck({ kube: ports.kube, namespace: ns, localRegistryPrefix: config.registry.imagePrefix }),
    createNodePressureCheck({ kube: ports.kube }),
    createFailedJobsCheck({ kube: ports.kube, namespace: ns, backupCronJob: m.backup.cronJob }),
    createImagePullCheck({ kube: ports.kube, namespace: ns, localRegistryPrefix: config.registry.imagePrefix }),
    createBackupIntegrityCheck({ kube: ports.kube, exec: ports.exec, namespace: ns, cronJob: m.backup.cronJob, settings: m.backupIntegrity }),
    createPodLimitsCheck({ kube: ports.kube, namespace: ns }),
    createUsageSampler({ kube: ports.kube, store, namespace: ns, now, retentionMs: m.trends.retention }),
    createTrendsCheck({ store, now, top: m.trends.top, growthWarnPercent: m.trends.growthWarnPercent }),
    createDrillCheck({ store, now, maxAgeMs: m.drill.maxAge }),
    ...(ports.workloads ? [createResilienceAuditCheck({ kube: ports.workloads, namespace: ns, checklist: SONGNODES_CHECKLIST })] : []),
    ...(count.enabled ? [createDataIntegrityCheck({ exec: ports.exec, store, namespace: ns, now, settings: count, ...(boot ? { boot } : {}) })] : []),
  ];
  return checks.map((check) => ({ check, schedule: schedules[check.cadence] }));
}
