// The config file's schema. Every key is optional; each default comes from the runbook
// (docs/runbook.md) or from the safety rules, and docs/configuration.md explains each one.
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { metricsSchema, notificationsSchema } from "../notifications/config-schema.js";

/** A duration in the file ("5m", "30s", 90) held in milliseconds. */
const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: `not a duration (use 90, "30s", "5m", "1h"): ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return ms;
    });

/** At most `max` remedies of one kind within a sliding `window`. */
const budget = (max: number, window: string) =>
  z
    .strictObject({ max: z.number().int().min(0).default(max), window: duration(window) })
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
        journalctl: path("journalctl"),
      })
      .prefault({}),
    /** systemd's D-Bus: the system bus unless an address is given (the simulator's private bus). */
    dbus: z.strictObject({ address: z.string().min(1).nullable().default(null) }).prefault({}),
    registry: z
      .strictObject({
        container: z.string().min(1).default("registry"),
        endpoint: z.url().default("http://localhost:5000"),
        dockerSocket: path("/var/run/docker.sock"),
        /** Images with this prefix come from the local registry. */
        imagePrefix: z.string().default("localhost:5000/"),
      })
      .prefault({}),
    timing: z
      .strictObject({
        /** The periodic wake-up; D-Bus signals and Kubernetes watches wake the loop sooner. */
        tick: duration("5s"),
        /** Each probe's own timeout: a probe that takes longer reports unknown. */
        probeTimeout: duration("5s"),
        /** A start attempt (SubState start) younger than this is never interrupted. Runbook: 30–60 s to initialise. */
        k3sStartBudget: duration("90s"),
        /** k3s not active (or cycling through auto-restart) this long before the first remedy. */
        k3sHoldOff: duration("30s"),
        /** k3s active but its containerd socket missing this long. */
        containerdHoldOff: duration("60s"),
        /** API not ready this long after k3s became active. */
        apiBudget: duration("2m"),
        /** Node NotReady this long. */
        nodeReadyBudget: duration("3m"),
        /** Runbook: most pods Running within 5 minutes. */
        podsConvergeBudget: duration("5m"),
        /** Runbook: slow pulls from localhost:5000 need no action unless they take more than 30 minutes. */
        slowPullNoAction: duration("30m"),
        /** ImagePullBackOff / ErrImagePull this long before the registry is checked. */
        imagePullHoldOff: duration("2m"),
        /** Runbook: pods Terminating for more than 5 minutes are force-deleted. */
        terminatingForceDelete: duration("5m"),
        /** A pod shown Unknown this long without kubelet restarting it is deleted. */
        unknownPodHoldOff: duration("2m"),
        /** A controller-owned pod Failed this long is deleted so its controller recreates it. */
        failedPodHoldOff: duration("1m"),
        /** Everything must stay healthy this long before a recovery counts (hysteresis). */
        healthyHold: duration("1m"),
        /** After gave-up, try the ladder again after this long (or on `resume`). */
        gaveUpCooldown: duration("1h"),
        /** How long each remedy gets to show its effect before the next rung. */
        verify: z
          .strictObject({
            restartK3s: duration("2m"),
            killallK3s: duration("3m"),
            restartRegistry: duration("1m"),
          })
          .prefault({}),
      })
      .prefault({}),
    /** k3s failing again and again, each spell too short for a hold-off: a symptom of its own. */
    flapping: z
      .strictObject({
        /** This many k3s failures (automatic restarts, or crashes the daemon saw) within the window… */
        failures: z.number().int().min(2).default(3),
        /** …is flapping. It counts as cured once k3s ran this long without a failure. */
        window: duration("10m"),
      })
      .prefault({}),
    /** What the daemon says: once per episode, again only as a reminder. */
    announcements: z
      .strictObject({
        /** A condition that lasts is said again after this long, as a reminder. */
        remindEvery: duration("1d"),
      })
      .prefault({}),
    budgets: z
      .strictObject({
        restartK3s: budget(3, "1h"),
        killallK3s: budget(1, "1h"),
        restartRegistry: budget(3, "1h"),
        /** Counted per delete-pods action, not per pod. */
        deletePods: budget(20, "1h"),
      })
      .prefault({}),
    /** Each remedy's timeout; a command's whole process group is killed when it runs out. */
    actionTimeouts: z
      .strictObject({
        restartK3s: duration("2m"),
        killallK3s: duration("3m"),
        restartRegistry: duration("1m"),
        deletePods: duration("30s"),
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
        retention: duration("30d"),
        maxBytes: z.number().int().min(1_048_576).default(67_108_864),
        pruneEvery: duration("1h"),
      })
      .prefault({}),
    /** Telling a person: channels, routing, the outbox (docs/notifications.md). */
    notifications: notificationsSchema,
    /** An optional TCP listener for Prometheus (docs/notifications.md). */
    metrics: metricsSchema,
  });

/** The daemon's configuration with every default applied; durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
