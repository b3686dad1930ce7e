// The config file's schema. Every key is optional; each default comes from the runbook
// (docs/runbook.md) or from the safety rules, and docs/configuration.md explains each one.
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { isLoopbackUrl } from "./loopback.js";
import {
  ACTION_TIMEOUT, DELETE_PODS_MAX, FLAPPING_FAILURES, HOLD_OFF, REMIND_EVERY, JOURNAL_BYTES, PROBE_TIMEOUT, PRUNE_EVERY, REMEDY_MAX, RETENTION, TICK, WINDOW,
  rangeMs, type CountRange, type DurationRange,
} from "./ranges.js";
import { maintenanceSchema } from "./maintenance-schema.js";
import { metricsSchema, notificationsSchema } from "../notifications/config-schema.js";
import { checksSchema, fluxSchema, integritySchema } from "../runbook-checks/config-schema.js";
import { dataCountConflict } from "../maintenance/data-count-settings.js";

/** A duration in the file ("5m", "30s", 90) held in milliseconds, refused outside `range`. */
const duration = (fallback: string, range: DurationRange) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: `not a duration (use 90, "30s", "5m", "1h"): ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      const { min, max } = rangeMs(range);
      if (ms < min || ms > max) {
        ctx.addIssue({ code: "custom", message: `must be between ${range.min} and ${range.max}` });
        return z.NEVER;
      }
      return ms;
    });

/** A whole number within `range`. */
const count = (fallback: number, range: CountRange) =>
  z.number().int().min(range.min, `must be between ${range.min} and ${range.max}`).max(range.max, `must be between ${range.min} and ${range.max}`).default(fallback);

/** At most `max` remedies of one kind within a sliding `window`. */
const budget = (max: number, window: string, maxRange: CountRange = REMEDY_MAX) =>
  z
    .strictObject({ max: count(max, maxRange), window: duration(window, WINDOW) })
    .prefault({});

const path = (fallback: string) => z.string().min(1).default(fallback);

export const configSchema = z
  .strictObject({
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "not a Kubernetes namespace name").default("songnodes"),
    /** Record what would be done, do nothing. */
    dryRun: z.boolean().default(false),
    /** The Node this host registered as; null: the host name as k3s registers it (lower-cased). */
    nodeName: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "not a Kubernetes node name (lower-case letters, digits, '-' and '.')")
      .nullable()
      .default(null),
    k3s: z
      .strictObject({
        unit: z.string().endsWith(".service").default("k3s.service"),
        containerdSocket: path("/run/k3s/containerd/containerd.sock"),
        kubeconfig: path("/etc/rancher/k3s/k3s.yaml"),
        killall: path("/usr/local/bin/k3s-killall.sh"),
        containerdLog: path("/var/lib/rancher/k3s/agent/containerd/containerd.log"),
        /** The journalctl binary used to read k3s's journal since its last start. */
        journalctl: path("/usr/bin/journalctl"),
      })
      .prefault({}),
    /** systemd's D-Bus: the system bus unless an address is given (the simulator's private bus). */
    dbus: z.strictObject({ address: z.string().min(1).nullable().default(null) }).prefault({}),
    registry: z
      .strictObject({
        container: z.string().min(1).default("registry"),
        endpoint: z.url().default("http://localhost:5000"),
        /** Let `endpoint` name a host other than this one (off by default: see registryEndpointIssue). */
        allowRemote: z.boolean().default(false),
        dockerSocket: path("/var/run/docker.sock"),
        /** Images with this prefix come from the local registry. */
        imagePrefix: z.string().default("localhost:5000/"),
      })
      .superRefine((registry, ctx) => {
        const issue = registryEndpointIssue(registry.endpoint, registry.allowRemote);
        if (issue !== null) ctx.addIssue({ code: "custom", path: ["endpoint"], message: issue });
      })
      .prefault({}),
    timing: z
      .strictObject({
        /** The periodic wake-up; D-Bus signals and Kubernetes watches wake the loop sooner. */
        tick: duration("5s", TICK),
        /** Each probe's own timeout: a probe that takes longer reports unknown. */
        probeTimeout: duration("5s", PROBE_TIMEOUT),
        /** A start attempt (SubState start) younger than this is never interrupted. Runbook: 30–60 s to initialise. */
        k3sStartBudget: duration("90s", HOLD_OFF),
        /** k3s not active (or cycling through auto-restart) this long before the first remedy. */
        k3sHoldOff: duration("30s", HOLD_OFF),
        /** k3s active but its containerd socket missing this long (k3s never restarts containerd itself: it exits with it). */
        containerdHoldOff: duration("10s", HOLD_OFF),
        /** API not ready this long after k3s became active. */
        apiBudget: duration("2m", HOLD_OFF),
        /** API refusing connections this long while k3s is active: k3s says READY only once its API server answers. */
        apiRefusedHoldOff: duration("2s", HOLD_OFF),
        /** Node NotReady this long (counted from when k3s became active, if later). */
        nodeReadyBudget: duration("60s", HOLD_OFF),
        /** Runbook: most pods Running within 5 minutes. */
        podsConvergeBudget: duration("5m", HOLD_OFF),
        /** Runbook: slow pulls from localhost:5000 need no action unless they take more than 30 minutes. */
        slowPullNoAction: duration("30m", HOLD_OFF),
        /** ImagePullBackOff / ErrImagePull this long before the registry is checked. */
        imagePullHoldOff: duration("2m", HOLD_OFF),
        /** Runbook: pods Terminating for more than 5 minutes are force-deleted. */
        terminatingForceDelete: duration("5m", HOLD_OFF),
        /** A pod shown Unknown this long with the node Ready (its kubelet running), not restarted by the kubelet, is deleted. */
        unknownPodHoldOff: duration("60s", HOLD_OFF),
        /** A StatefulSet pod shown Unknown and already Terminating is force-deleted no sooner than this after it was first seen. */
        statefulForceDeleteHoldOff: duration("2m", HOLD_OFF),
        /** A controller-owned pod Failed this long is deleted so its controller recreates it. */
        failedPodHoldOff: duration("1m", HOLD_OFF),
        /** Everything must stay healthy this long before a recovery counts (hysteresis). */
        healthyHold: duration("1m", HOLD_OFF),
        /** After gave-up, try the ladder again after this long (or on `resume`). */
        gaveUpCooldown: duration("1h", WINDOW),
        /** How long each remedy gets to show its effect before the next rung. */
        verify: z
          .strictObject({
            restartK3s: duration("2m", HOLD_OFF),
            killallK3s: duration("3m", HOLD_OFF),
            restartRegistry: duration("1m", HOLD_OFF),
          })
          .prefault({}),
      })
      .prefault({}),
    /** k3s failing again and again, each spell too short for a hold-off: a symptom of its own. */
    flapping: z
      .strictObject({
        /** This many k3s failures (automatic restarts, or crashes the daemon saw) within the window… */
        failures: count(3, FLAPPING_FAILURES),
        /** …is flapping. It counts as cured once k3s ran this long without a failure. */
        window: duration("10m", WINDOW),
      })
      .prefault({}),
    /** What the daemon says: once per episode, again only as a reminder. */
    announcements: z
      .strictObject({
        /** A condition that lasts is said again after this long, as a reminder. */
        remindEvery: duration("1d", REMIND_EVERY),
      })
      .prefault({}),
    budgets: z
      .strictObject({
        restartK3s: budget(3, "1h"),
        killallK3s: budget(1, "1h"),
        restartRegistry: budget(3, "1h"),
        /** Counted per delete-pods action, not per pod. */
        deletePods: budget(20, "1h", DELETE_PODS_MAX),
      })
      .prefault({}),
    /** Each remedy's timeout; a command's whole process group is killed when it runs out. */
    actionTimeouts: z
      .strictObject({
        restartK3s: duration("2m", ACTION_TIMEOUT),
        killallK3s: duration("3m", ACTION_TIMEOUT),
        restartRegistry: duration("1m", ACTION_TIMEOUT),
        deletePods: duration("30s", ACTION_TIMEOUT),
      })
      .prefault({}),
    status: z
      .strictObject({
        /** Where status.sock and control.sock live; $RUNTIME_DIRECTORY when systemd sets it. */
        runtimeDir: z.string().min(1).nullable().default(null),
        /** The group that may read status.sock (mode 0660). */
        group: z.string().min(1).default("root"),
      })
      .prefault({}),
    journal: z
      .strictObject({
        retention: duration("30d", RETENTION),
        maxBytes: count(67_108_864, JOURNAL_BYTES),
        pruneEvery: duration("1h", PRUNE_EVERY),
        /**
         * A journal that forgot the last window's remedies (new while the system has been up longer than
         * the window, corrupt, or in memory) holds the disruptive budgets for one window. Off only where the
         * node is as new as the journal (the simulator's served node).
         */
        holdBudgetsWhenForgotten: z.boolean().default(true),
      })
      .prefault({}),
    /** Scheduled preventative checks (src/config/maintenance-schema.ts). */
    maintenance: maintenanceSchema,
    /** Telling a person: channels, routing, the outbox (docs/notifications.md). */
    notifications: notificationsSchema,
    /** An optional TCP listener for Prometheus (docs/notifications.md). */
    metrics: metricsSchema,
    /** The runbook checks: boot enablement, scheduling, PDBs, GitOps sync, data integrity (docs/runbook-checks.md). */
    checks: checksSchema,
    flux: fluxSchema,
    integrity: integritySchema,
  })
  .superRefine((config, ctx) => {
    const conflict = dataCountConflict(config);
    if (conflict) ctx.addIssue({ code: "custom", path: conflict.path, message: conflict.message });
  });

/** Why the registry endpoint is refused: not http(s), or not loopback without `allowRemote`. */
function registryEndpointIssue(endpoint: string, allowRemote: boolean): string | null {
  // zod runs this even when `endpoint` itself failed; that failure is already reported.
  if (!URL.canParse(endpoint)) return null;
  const url = new URL(endpoint);
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be an http:// or https:// URL, not ${url.protocol}`;
  if (!allowRemote && !isLoopbackUrl(url)) return `must name this machine (localhost, 127.0.0.1 or ::1); set registry.allowRemote: true to probe ${url.hostname}`;
  return null;
}

/** The daemon's configuration with every default applied; durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
