// The scenario file format (docs/scenarios.md): a starting state, faults at node times, operator
// requests, and expectations the runner judges from what really happened. Validated with zod so a
// mistake in a file is reported with its key ("faults.2.times: expected a number").
import { z } from "zod";
import { parseDuration } from "../../config/duration.js";

/** A duration written as in the config file: "90s", "5m", "1h30m", or plain seconds. */
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: `not a duration (use 90, "30s", "5m", "1h"): ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return ms;
});
/** A signed duration, "+2h" or "-30m": how far a clock steps. */
const step = z.string().transform((value, ctx) => {
  const match = /^([+-])(.+)$/.exec(value.trim());
  const ms = match ? parseDuration(match[2]) : null;
  if (match === null || ms === null || ms === 0) {
    ctx.addIssue({ code: "custom", message: `not a signed duration (use "+2h", "-30m"): ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return match[1] === "-" ? -ms : ms;
});
const workloads = z.array(z.string().min(1)).min(1);
const at = { at: duration };

const fault = z.discriminatedUnion("fault", [
  z.strictObject({ ...at, fault: z.literal("k3s-slow-start"), duration }),
  z.strictObject({ ...at, fault: z.literal("k3s-fails-to-start"), times: z.number().int().min(1) }),
  z.strictObject({ ...at, fault: z.literal("k3s-start-limit"), wording: z.enum(["start-limit-hit", "start-limit"]).optional() }),
  z.strictObject({ ...at, fault: z.literal("k3s-active-state"), state: z.string(), duration: duration.nullable().default(null) }),
  z.strictObject({ ...at, fault: z.literal("k3s-log-unreadable"), source: z.enum(["journal", "containerd-log"]), error: z.string().min(1).default("permission denied"), duration: duration.nullable().default(null) }),
  z.strictObject({ ...at, fault: z.literal("k3s-crash-loop"), every: duration, times: z.number().int().min(1).nullable().default(null) }),
  z.strictObject({ ...at, fault: z.literal("k3s-killed") }),
  z.strictObject({ ...at, fault: z.literal("containerd-socket-missing"), fixedBy: z.enum(["killall", "restart", "never"]).default("killall") }),
  z.strictObject({ ...at, fault: z.literal("containerd-corruption") }),
  z.strictObject({ ...at, fault: z.literal("api-down"), duration: duration.nullable().default(null) }),
  // survivesRestart: the fault is not in k3s's process (a broken etcd, a full disk), so a restart leaves it.
  z.strictObject({ ...at, fault: z.enum(["api-500", "api-hang"]), duration: duration.nullable().default(null), survivesRestart: z.boolean().optional() }),
  z.strictObject({ ...at, fault: z.literal("systemd-unreachable"), duration: duration.nullable().default(null) }),
  z.strictObject({ ...at, fault: z.literal("node-not-ready"), duration: duration.nullable().default(null), fixedByRestart: z.boolean().default(true), survivesRestart: z.boolean().optional() }),
  z.strictObject({ ...at, fault: z.literal("registry-down"), fixedByRestart: z.boolean().default(true), recoversAfter: duration.optional() }),
  z.strictObject({ ...at, fault: z.literal("image-missing"), workload: z.string().min(1) }),
  z.strictObject({ ...at, fault: z.literal("image-refused"), workload: z.string().min(1), refusal: z.enum(["access-denied", "never-pull"]) }),
  z.strictObject({ ...at, fault: z.literal("pods-unknown"), kind: z.enum(["containers-unknown", "node-lost", "phase-unknown"]).default("containers-unknown"), workloads: workloads.nullable().default(null), deleted: z.boolean().optional() }),
  z.strictObject({ ...at, fault: z.literal("pods-stuck-terminating"), workloads, finalizer: z.string().min(1).optional() }),
  z.strictObject({ ...at, fault: z.literal("slow-pulls"), duration, workloads: workloads.nullable().default(null) }),
  z.strictObject({ ...at, fault: z.literal("crash-loop"), workload: z.string().min(1) }),
  z.strictObject({ ...at, fault: z.literal("node-reboot"), graceful: z.boolean().default(false), downFor: duration.default(60), leftRunning: z.enum(["Terminated", "Shutdown"]).optional() }),
  z.strictObject({ ...at, fault: z.literal("postgres-data-loss"), rows: z.number().int().min(1) }),
  z.strictObject({ ...at, fault: z.literal("backup-failing") }),
  z.strictObject({ ...at, fault: z.literal("postgres-count-failing"), output: z.enum(["error", "garbled"]).default("error") }),
  z.strictObject({ ...at, fault: z.literal("disk-filling"), path: z.string().startsWith("/"), toPercent: z.number().min(0).max(100), over: duration }),
  z.strictObject({ ...at, fault: z.literal("pvc-filling"), pvc: z.string().min(1), toPercent: z.number().min(0).max(100), over: duration }),
  z.strictObject({ ...at, fault: z.literal("foreign-pod-stuck"), image: z.string().min(1).default("rancher/klipper-lb:v0.4.4") }),
  z.strictObject({ ...at, fault: z.literal("leftover-node"), name: z.string().min(1) }),
  z.strictObject({ ...at, fault: z.literal("k3s-disabled"), unit: z.string().endsWith(".service").default("k3s.service") }),
  z.strictObject({ ...at, fault: z.literal("registry-no-restart-policy") }),
  z.strictObject({ ...at, fault: z.literal("insufficient-memory"), workload: z.string().min(1) }),
  z.strictObject({ ...at, fault: z.literal("flux-release-failed"), fixedByReconcile: z.boolean().default(true) }),
  z.strictObject({ ...at, fault: z.literal("flux-absent") }),
  z.strictObject({ ...at, fault: z.literal("spec-missing"), workload: z.string().min(1), field: z.enum(["limits", "livenessProbe", "readinessProbe"]) }),
  z.strictObject({ ...at, fault: z.literal("clock-jump"), by: step }),
]);

const operator = z.union([
  z.strictObject({ ...at, pause: duration, reason: z.string().default("maintenance (scenario)") }),
  z.strictObject({ ...at, resume: z.string().min(1) }),
  z.strictObject({ ...at, restartDaemon: z.literal(true) }),
  /** A person repairs the node (every fault's cause), as after a gave-up; see src/sim/model/repair.ts. */
  z.strictObject({ ...at, repair: z.string().min(1) }),
]);

const remedyCounts = z
  .strictObject({
    "restart-k3s": z.number().int().min(0).optional(),
    "killall-k3s": z.number().int().min(0).optional(),
    "restart-registry": z.number().int().min(0).optional(),
    "delete-pods": z.number().int().min(0).optional(),
  });
const remedy = z.enum(["restart-k3s", "killall-k3s", "restart-registry", "delete-pods"]);
const phase = z.enum(["waiting-for-k3s", "waiting-for-containerd", "waiting-for-api", "waiting-for-nodes", "pods-converging", "healthy", "recovering", "paused", "gave-up"]);
const span = z.tuple([duration, duration]).refine(([from, to]) => from <= to, "the span's end comes before its start");
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const expectations = z.strictObject({
  /** The daemon says healthy and the node really is, at or before this node time. */
  healthyBy: duration.optional(),
  /** The daemon's phase at the end. */
  endsIn: phase.optional(),
  /** Phases the daemon must pass through at some point. */
  visits: z.array(phase).min(1).optional(),
  maxActions: remedyCounts.optional(),
  minActions: remedyCounts.optional(),
  noActionBefore: duration.optional(),
  noActions: z.literal(true).optional(),
  /** Substrings that must appear in the daemon's announcements (case-insensitive). */
  announces: oneOrMany.optional(),
  /** Remedies the daemon must have decided on (in dry-run: planned, not run). */
  plannedActions: z.array(remedy).min(1).optional(),
  /** Pod name prefixes the daemon must have deleted / must never delete. */
  deletes: oneOrMany.optional(),
  neverDeletes: oneOrMany.optional(),
  // The keys below were added later; none changes what a key above means.
  /** Exactly this many remedies of each kind reached the node. */
  actionsExactly: remedyCounts.optional(),
  /** In every sliding window of `window`, at most `max` remedies of that kind reached the node. */
  maxActionsInWindow: z.partialRecord(remedy, z.strictObject({ max: z.number().int().min(0), window: duration })).optional(),
  /** Nothing reached the node between these node times: one `[from, to]` or a list of them. */
  noActionBetween: z.union([span, z.array(span).min(1)]).optional(),
  /** Announcements containing this text (case-insensitive): at most / exactly this many. */
  announcesAtMost: z.record(z.string().min(1), z.number().int().min(0)).optional(),
  announcesExactly: z.record(z.string().min(1), z.number().int().min(0)).optional(),
  /** Announcements at level err containing this text: exactly this many. */
  errAnnouncementsExactly: z.record(z.string().min(1), z.number().int().min(0)).optional(),
  /** No announcement contains any of these. */
  neverAnnounces: oneOrMany.optional(),
  /** The daemon's phases, in this order (others may come between). */
  phasesInOrder: z.array(phase).min(2).optional(),
  /** Phases the daemon must never be in. */
  neverVisits: z.array(phase).min(1).optional(),
  /** Pod objects (by uid: a replacement is another pod) whose name starts with this, deleted: exactly this many. */
  deletionsExactly: z.record(z.string().min(1), z.number().int().min(0)).optional(),
  /** Every remedy that reached the node came from a look where a probe that justifies it read bad: never with every probe ok, never on unknown alone. */
  remediesJustified: z.literal(true).optional(),
  /** No single pod object (by uid) receives more than this many deletions. */
  deletesEachAtMost: z.number().int().min(1).optional(),
  /** Maintenance findings said (once per finding): exactly `times` whose check, level and text match. */
  findingsExactly: z.array(z.strictObject({
    check: z.string().min(1), level: z.enum(["warn", "crit", "unknown"]), text: z.string().min(1), times: z.number().int().min(0),
    /** The first match is said between these node times. */
    between: span.optional(),
  })).min(1).optional(),
  /** No warn or crit maintenance finding other than those `findingsExactly` lists. */
  noOtherFindings: z.literal(true).optional(),
  /** Reconcile requests Flux's controllers received for the HelmRelease (flux.reconcile): exactly this many. */
  gitopsReconcilesExactly: z.number().int().min(0).optional(),
  /** Some iteration read `probe` with `status` and a reason containing `reason` (case-insensitive); `times`: in exactly this many iterations. */
  observes: z.array(z.strictObject({
    probe: z.enum(["k3sUnit", "containerdSocket", "api", "nodes", "pods", "registry", "k3sLog"]),
    status: z.enum(["ok", "bad", "unknown"]),
    reason: z.string().min(1).optional(),
  })).min(1).optional(),
  /** The daemon's verdict (src/core/verdict.ts) at some iteration: this verdict, its cause containing `cause`. */
  verdictSeen: z.array(z.strictObject({ verdict: z.enum(["healthy", "degraded", "unhealthy", "unknown"]), cause: z.string().min(1).optional() })).min(1).optional(),
  /** The daemon's verdict was never this one (its cause containing `cause`, when given). */
  neverVerdict: z.array(z.strictObject({ verdict: z.enum(["healthy", "degraded", "unhealthy", "unknown"]), cause: z.string().min(1).optional() })).min(1).optional(),
  /** Every verdict other than healthy the daemon reached names this in its cause (case-insensitive). */
  verdictNames: z.string().min(1).optional(),
  /** Runs of a maintenance check (begun within `between`, their reason containing `why`): exactly `times`. */
  checkRunsExactly: z.array(z.strictObject({
    check: z.string().min(1), times: z.number().int().min(0), between: span.optional(), why: z.string().min(1).optional(),
  })).min(1).optional(),
  /** Every run of these maintenance checks began while the daemon's phase was healthy. */
  checkRunsOnlyWhenHealthy: z.array(z.string().min(1)).min(1).optional(),
});

/** A scenario file. */
export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase words joined by dashes"),
  description: z.string().min(1),
  /** The runbook procedure or docs/design.md §4 safety rule this scenario covers. */
  runbook: z.string().min(1),
  duration,
  start: z.enum(["healthy", "boot"]).default("healthy"),
  /** Node wall time at the start; CronJobs follow it (gold-to-operational runs at :17 each hour). */
  startAt: z.iso.datetime().default("2025-11-14T10:30:00Z"),
  seed: z.number().int().default(1),
  /** About this many pods in the namespace: one-replica filler Deployments make up the rest (as `simulate --serve --pods`). */
  pods: z.number().int().min(0).max(5_000).default(0),
  /** k3s.service's RestartMode: systemd's default, or "direct" (systemd ≥ 254: no failed state between attempts). */
  k3sRestartMode: z.enum(["normal", "direct"]).default("normal"),
  /** Daemon config overrides, the same keys as /etc/songnodes-watchdog/config.yaml. */
  config: z.record(z.string(), z.unknown()).default({}),
  faults: z.array(fault).default([]),
  operator: z.array(operator).default([]),
  expect: expectations,
});

/** A validated scenario; durations in ms. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioFault = Scenario["faults"][number];
export type ScenarioOperatorStep = Scenario["operator"][number];
export type Expectations = Scenario["expect"];
