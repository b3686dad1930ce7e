// The config's `maintenance` section: every schedule and threshold of the scheduled checks, with the
// runbook's defaults. Schedules are five-field cron expressions in the node's time zone, off the
// chart's 02:00 backup hour; a bad expression or zone is a config error naming the key.
import { z } from "zod";
import { parseCron, isTimeZone } from "../maintenance/cron-slots.js";
import { parseDuration } from "./duration.js";

const duration = (fallback: string) =>
  z.union([z.string(), z.number()]).default(fallback).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: `not a duration (use 90, "30s", "5m", "1h"): ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  });

const schedule = (fallback: string) =>
  z.string().default(fallback).superRefine((value, ctx) => {
    const parsed = parseCron(value);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

const percent = (fallback: number) => z.number().min(1).max(100).default(fallback);
const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "not a Kubernetes object name");

/** Warn and crit thresholds in percent used; crit must be above warn. */
const thresholds = (warn: number, crit: number) =>
  z.strictObject({ warnPercent: percent(warn), critPercent: percent(crit) })
    .prefault({})
    .refine((t) => t.critPercent > t.warnPercent, { message: "critPercent must be above warnPercent" });

export const maintenanceSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** IANA zone for the schedules; null: the node's own zone. */
    timezone: z.string().nullable().default(null).refine((zone) => zone === null || isTimeZone(zone), { message: "not a time zone this Node.js knows (use an IANA name such as Europe/Berlin)" }),
    /** After the daemon starts, wait this long before catching up missed runs (let a boot recover first). */
    catchUpDelay: duration("10m"),
    /** Each check's own timeout: a check that takes longer reads unknown. */
    checkTimeout: duration("2m"),
    schedules: z
      .strictObject({
        daily: schedule("30 4 * * *"),
        weekly: schedule("45 4 * * 0"),
        monthly: schedule("0 5 1 * *"),
        /** The resource-usage samples for the monthly trends. */
        samples: schedule("7 * * * *"),
      })
      .prefault({}),
    backup: z
      .strictObject({
        cronJob: name.default("postgres-backup"),
        /** Runbook: a daily backup at 02:00; older than this is crit. */
        maxAge: duration("26h"),
      })
      .prefault({}),
    disk: z
      .strictObject({
        /** Host paths: the root, k3s's data directory (with local-path volumes), the registry's storage. */
        paths: z.array(z.string().startsWith("/", "an absolute path")).min(1).default(["/", "/var/lib/rancher/k3s", "/var/lib/docker"]),
        warnPercent: percent(80),
        critPercent: percent(90),
        /** kubelet's imagefs.available eviction threshold (k3s default 15 %) and nodefs (10 %). */
        evictionAvailablePercent: percent(15),
        /** Warn this many points before kubelet's eviction threshold is reached. */
        evictionMarginPercent: z.number().min(0).max(50).default(5),
        /** The path kubelet's eviction thresholds apply to. */
        kubeletPath: z.string().startsWith("/").default("/var/lib/rancher/k3s"),
        /** Only for `simulate --serve`: the served node's control socket, read instead of statfs(2). */
        simulatedHost: z.string().startsWith("/", "an absolute path").nullable().default(null),
      })
      .prefault({})
      .refine((d) => d.critPercent > d.warnPercent, { message: "critPercent must be above warnPercent" }),
    pvc: thresholds(80, 90),
    backupIntegrity: z
      .strictObject({
        /** argv run in the postgres pod to read the newest dump whole; null: the default below when `readDump`, else off. */
        command: z.array(z.string().min(1)).min(1).nullable().default(null),
        /** Read the newest dump with the default command (`pg_restore -f /dev/null` on it) when no `command` is set. */
        readDump: z.boolean().default(false),
        /** Where the postgres pod sees the dumps, as a shell glob; the newest match is read. */
        dumps: z.string().startsWith("/", "an absolute path").regex(/^[^\s'"`$\\;&|<>()]+$/, "a path with shell wildcards only (no spaces, quotes, $, ;, &, |, redirections)").default("/backups/*.dump"),
        pod: name.default("postgres-0"),
        container: name.default("postgres"),
        timeout: duration("10m"),
        maxOutputBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(65_536),
      })
      .prefault({}),
    drill: z.strictObject({ maxAge: duration("35d") }).prefault({}),
    trends: z
      .strictObject({
        /** How long the hourly samples are kept. */
        retention: duration("400d"),
        /** How many top consumers the report names. */
        top: z.number().int().min(1).max(50).default(5),
        /** Month-over-month growth above this is a warn. */
        growthWarnPercent: z.number().min(1).default(50),
      })
      .prefault({}),
    dataIntegrity: z
      .strictObject({
        enabled: z.boolean().default(false),
        schedule: schedule("15 */6 * * *"),
        /** Also count once after every boot, the first time the node is healthy in it. */
        afterBoot: z.boolean().default(true),
        query: z.string().min(1).default("SELECT COUNT(*) FROM tracks"),
        database: z.string().min(1).default("musicdb"),
        user: z.string().min(1).default("musicdb_user"),
        pod: name.default("postgres-0"),
        container: name.default("postgres"),
        /** A drop of more than this since the previous run is crit. */
        dropPercent: z.number().min(0).max(100).default(5),
        timeout: duration("1m"),
      })
      .prefault({}),
  })
  .prefault({});

/** The maintenance section with every default applied. */
export type MaintenanceConfig = z.output<typeof maintenanceSchema>;
