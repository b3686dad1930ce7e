// The soak's invariants, checked as the run goes (each remedy just before it reaches the node) and
// at the end (per episode, and on the journal file). Each violation names the invariant, the node
// time and what was seen, so a shrunk schedule reads as a bug report.
import type { Config } from "../../src/config/schema.js";
import type { Observations, ProbeName, RemedyCommand, RemedyKind } from "../../src/core/types.js";
import type { IterationReport } from "../../src/daemon/loop.js";
import { unjustified } from "../../src/sim/scenario/justified-by.js";
import type { LiveRun } from "../../src/sim/scenario/runner.js";

/** One broken invariant. */
export interface Violation {
  invariant: string;
  /** Node time since the run's start, ms. */
  at: number;
  detail: string;
}

/** Invariant names, as the report and docs/benchmarks.md list them. */
export const INVARIANTS = {
  budget: "no remedy exceeds its budget in any sliding window",
  allOk: "no remedy while every probe is ok",
  unknown: "no remedy justified only by a probe that reads unknown",
  paused: "no remedy while paused",
  dryRun: "in dry-run nothing reaches the node",
  jobPod: "no deletion of a Job-owned pod that is not already being deleted",
  notReady: "no deletion while the daemon's own node is NotReady",
  holdOff: "no second deletion of the same pod object within its hold-off, and no force delete in a loop",
  hasten: "a daemon restart never hastens a remedy",
  recovers: "every recoverable fault ends healthy without a person within its bound",
  gaveUpOnce: "every unrecoverable fault the ladder treats gives exactly one gave-up or human-needed at err; one only reported gives a warning and no err",
  saidOnce: "every announcement is said once per episode",
  journalEnds: "every journal action has an end or is marked interrupted",
  integrity: "PRAGMA integrity_check is ok",
} as const;

const BUDGET_KEY: Record<RemedyKind, keyof Config["budgets"]> = {
  "restart-k3s": "restartK3s", "killall-k3s": "killallK3s", "restart-registry": "restartRegistry", "delete-pods": "deletePods",
};

/** A remedy as it reached the node. */
export interface RemedyMark {
  at: number;
  kind: RemedyKind;
}

/** Checks made as the run goes; the run's announcements and remedies, for the end checks. */
export interface LiveChecks {
  violations: Violation[];
  remedies: RemedyMark[];
  announcements: { at: number; key: string; level: string; message: string }[];
  beforeRemedy(command: RemedyCommand, run: LiveRun): void;
  onIteration(report: IterationReport, run: LiveRun): void;
}

type Conditions = { type?: string; status?: string }[];

/** Create the live checks for one run. */
export function liveChecks(config: Config): LiveChecks {
  const violations: Violation[] = [];
  const remedies: RemedyMark[] = [];
  const announcements: LiveChecks["announcements"] = [];
  const deletedAt = new Map<string, number>();
  const forced = new Set<string>();
  const fail = (invariant: string, at: number, detail: string) => violations.push({ invariant, at, detail });

  return {
    violations, remedies, announcements,
    beforeRemedy(command, run) {
      const now = run.node.now();
      const at = now - run.start;
      if (config.dryRun) fail(INVARIANTS.dryRun, at, `${command.kind} reached the node`);
      const budget = config.budgets[BUDGET_KEY[command.kind]];
      const inWindow = remedies.filter((r) => r.kind === command.kind && r.at > now - budget.window).length;
      if (inWindow + 1 > budget.max) fail(INVARIANTS.budget, at, `${command.kind} #${inWindow + 1} within ${budget.window / 60_000} min (budget ${budget.max})`);
      remedies.push({ at: now, kind: command.kind });
      const loop = run.loop();
      const seen = loop?.observations() as Observations | null | undefined;
      if (seen) {
        const why = unjustified(command.kind, seen);
        if (why !== null) fail(Object.values(seen).every((o) => o.status === "ok") ? INVARIANTS.allOk : INVARIANTS.unknown, at, `${command.kind} (${command.why}): ${why}`);
      }
      const pause = loop?.state().pause;
      if (pause && pause.until > now) fail(INVARIANTS.paused, at, `${command.kind} while paused until +${Math.round((pause.until - run.start) / 1000)}s (${pause.reason})`);
      if (command.kind !== "delete-pods") return;
      const self = run.node.store.get("nodes", null, run.node.nodeName) as { status?: { conditions?: Conditions } } | undefined;
      const ready = self?.status?.conditions?.find((c) => c.type === "Ready")?.status;
      for (const pod of command.pods) {
        const object = run.node.store.get("pods", pod.namespace, pod.name);
        if (object?.metadata.uid !== pod.uid) continue; // already gone or replaced: the uid precondition keeps it safe
        if (ready !== "True") fail(INVARIANTS.notReady, at, `delete ${pod.name} while ${run.node.nodeName} is Ready=${ready ?? "missing"}`);
        const owner = object.metadata.ownerReferences?.find((o) => o.controller)?.kind;
        if (owner === "Job" && !object.metadata.deletionTimestamp) fail(INVARIANTS.jobPod, at, `delete Job pod ${pod.name}, not being deleted`);
        // Asked once, a pod gets terminatingForceDelete to go; a pod left Unknown and Terminating may be
        // force-deleted once after unknownPodHoldOff. A second force delete means something holds the
        // object (a finalizer): that is reported, never deleted in a loop.
        const before = deletedAt.get(pod.uid);
        const holdOff = pod.force ? config.timing.unknownPodHoldOff : config.timing.terminatingForceDelete;
        if (before !== undefined && now - before < holdOff) {
          fail(INVARIANTS.holdOff, at, `${pod.name} (${pod.uid.slice(0, 8)}) deleted again ${Math.round((now - before) / 1000)}s after the last deletion (hold-off ${holdOff / 1000}s)`);
        }
        if (pod.force && forced.has(pod.uid)) fail(INVARIANTS.holdOff, at, `${pod.name} (${pod.uid.slice(0, 8)}) force-deleted a second time: something holds it (a finalizer?), a loop`);
        if (pod.force) forced.add(pod.uid);
        deletedAt.set(pod.uid, now);
      }
    },
    onIteration(report, run) {
      // Node time, not the report's wall time: a clock jump must not reorder what was said.
      const at = run.node.now();
      for (const command of report.commands) {
        if (command.kind === "announce") announcements.push({ at, key: command.key, level: command.level, message: command.message });
      }
    },
  };
}

/** A key without the moments some keys carry (`gave-up:k3s-down:1763116200000` → `gave-up:k3s-down`). */
export function announcementTopic(key: string): string {
  return key.split(":").filter((part) => !/^\d{6,}$/.test(part)).join(":");
}
