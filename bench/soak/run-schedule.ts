// One soak run: the schedule as a scenario, the real loop and core against the simulated node with
// the live checks, then the episode checks (recovery within its bound, exactly one err for what no
// remedy can fix, each thing said once per episode), the journal file's checks, and, when the
// schedule restarts the daemon, the same schedule without the restarts to prove none hastened a remedy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { parseConfig } from "../../src/config/load.js";
import { parseScenario } from "../../src/sim/scenario/load.js";
import { runScenario, type TimelineEntry } from "../../src/sim/scenario/runner.js";
import { announcementTopic, INVARIANTS, liveChecks, type RemedyMark, type Violation } from "./invariants.js";
import { toScenario, withoutRestarts, type PlacedEpisode, type Schedule } from "./schedule.js";

/** What one run measured. */
export interface RunResult {
  simulatedMs: number;
  violations: Violation[];
  faultsByKind: Record<string, number>;
  remediesByKind: Record<string, number>;
  recoveries: number;
  gaveUps: number;
  /** Time to healthy of each single-kind recoverable episode, by kind (ms). */
  timeToHealthy: Record<string, number[]>;
  document: Record<string, unknown>;
}

interface Played {
  violations: Violation[];
  remedies: RemedyMark[];
  announcements: { at: number; key: string; level: string; message: string }[];
  /** (node time, truly healthy) at each iteration and while an episode waits for its recovery. */
  healthy: { at: number; ok: boolean }[];
  faults: Record<string, number>;
}

// One tick and the debounce: a restarted daemon's tick grid starts at its start, so it may look
// (not act) up to a tick sooner than the daemon it replaced would have.
const HASTEN_TOLERANCE_MS = 5_200 + 1_000;

async function play(schedule: Schedule, name: string, startAt: string | null = null, onEntry?: (entry: TimelineEntry) => void): Promise<{ played: Played; episodes: PlacedEpisode[]; durationMs: number; document: Record<string, unknown> }> {
  const { document, episodes, durationMs } = toScenario(schedule, name);
  if (startAt !== null) document.startAt = startAt;
  const scenario = parseScenario(document, name);
  const config = parseConfig(scenario.config, "soak");
  const checks = liveChecks(config);
  const healthy: Played["healthy"] = [];
  const faults: Record<string, number> = {};
  for (const fault of scenario.faults) faults[fault.fault] = (faults[fault.fault] ?? 0) + 1;
  const dir = mkdtempSync(join(tmpdir(), "songnodes-soak-"));
  const journalPath = join(dir, "journal.db");
  let open = 0;
  let lastNotes = "";
  const waiting = (at: number) => {
    while (open < episodes.length && (episodes[open] as PlacedEpisode).end <= at) open++;
    const episode = episodes[open];
    return episode !== undefined && at >= episode.lastStrike && at <= episode.end;
  };
  try {
    await runScenario(scenario, onEntry, {
      skipQuietTicks: true,
      journalPath,
      beforeRemedy: checks.beforeRemedy,
      onIteration: (report, run) => {
        checks.onIteration(report, run);
        // For replay's --timeline: the core's notes, when they change (why it did or did not act).
        const notes = report.notes.join(" | ");
        if (onEntry !== undefined && notes !== lastNotes) onEntry({ at: run.node.now() - run.start, phase: report.phase, kind: "decide", text: notes || "(no notes)" });
        lastNotes = notes;
        healthy.push({ at: run.node.now() - run.start, ok: run.node.healthy() });
      },
      onHappening: (at, run) => {
        if (waiting(at - run.start)) healthy.push({ at: at - run.start, ok: run.node.healthy() });
      },
    });
    const db = new Database(journalPath, { readonly: true });
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") checks.violations.push({ invariant: INVARIANTS.integrity, at: durationMs, detail: String(integrity) });
    const open = db.prepare("SELECT kind, started_at, outcome FROM actions WHERE finished_at IS NULL AND outcome NOT IN ('interrupted', 'dry-run')").all() as { kind: string; started_at: number | null; outcome: string }[];
    for (const row of open) checks.violations.push({ invariant: INVARIANTS.journalEnds, at: (row.started_at ?? 0) - Date.parse(scenario.startAt), detail: `${row.kind} ${row.outcome}, no end` });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const start = Date.parse(scenario.startAt);
  const played: Played = {
    violations: checks.violations,
    remedies: checks.remedies.map((r) => ({ ...r, at: r.at - start })),
    announcements: checks.announcements.map((a) => ({ ...a, at: a.at - start })),
    healthy, faults,
  };
  return { played, episodes, durationMs, document };
}

/** When the node was first truly healthy in [from, to], or null. */
function firstHealthy(samples: Played["healthy"], from: number, to: number): number | null {
  return samples.find((s) => s.at >= from && s.at <= to && s.ok)?.at ?? null;
}

/** Whether the node was truly healthy for `hold` without a break somewhere in [from, to]. */
function clearFor(samples: Played["healthy"], from: number, to: number, hold: number): boolean {
  let since: number | null = null;
  for (const s of samples) {
    if (s.at < from) continue;
    if (s.at > to) break;
    if (!s.ok) since = null;
    else {
      since ??= s.at;
      if (s.at - since >= hold) return true;
    }
  }
  return since !== null && to - since >= hold;
}

/** Run `schedule` with every check. */
export async function runSchedule(schedule: Schedule, name = "soak-shrunk", startAt: string | null = null, onEntry?: (entry: TimelineEntry) => void): Promise<RunResult> {
  const { played, episodes, durationMs, document } = await play(schedule, name, startAt, onEntry);
  const violations = [...played.violations];
  const config = parseConfig((document.config ?? {}) as Record<string, unknown>, "soak");
  const timeToHealthy: Record<string, number[]> = {};
  let recoveries = 0;
  let gaveUps = 0;
  if (!schedule.dryRun) {
    for (const episode of episodes) {
      const inside = played.announcements.filter((a) => a.at >= episode.start && a.at < episode.end);
      if (episode.recoverable && episode.labels.length > 0) {
        const at = firstHealthy(played.healthy, episode.lastStrike, episode.end);
        if (at === null || at > episode.healthyBy) {
          violations.push({ invariant: INVARIANTS.recovers, at: episode.healthyBy, detail: `${episode.labels.join(" + ")} struck by +${Math.round(episode.lastStrike / 1000)}s: ${at === null ? "never healthy in the episode" : `healthy only at +${Math.round(at / 1000)}s`} (bound +${Math.round(episode.healthyBy / 1000)}s)` });
        } else {
          recoveries++;
          if (episode.labels.length === 1 && episode.restarts.length === 0) (timeToHealthy[episode.labels[0] as string] ??= []).push(at - episode.lastStrike);
        }
      }
      if (!episode.recoverable && episode.repairAt !== null) {
        const errs = inside.filter((a) => a.level === "err" && a.at <= episode.repairAt!);
        // What the ladder treats gives up once at err; what no remedy treats (an image missing, an
        // application's crash loop, a finalizer) is reported at warning and never gives up, so no err.
        const wanted = episode.givesUp ? 1 : 0;
        // A registry that comes back by itself may have been given up on first: one more err each.
        const extra = errs.length - wanted;
        if (extra === 0 || (extra > 0 && extra <= episode.mayGiveUp) || (episode.givesUpMaybe && wanted === 0 && errs.length <= 1 + episode.mayGiveUp)) gaveUps += errs.length;
        else violations.push({ invariant: INVARIANTS.gaveUpOnce, at: episode.repairAt, detail: `${episode.labels.join(" + ")}: ${errs.length} err announcement(s) before the repair, ${wanted} wanted${errs.length > 0 ? `: ${errs.map((e) => e.message.slice(0, 80)).join(" | ")}` : ""}` });
        for (const prefix of episode.reportedAs) {
          if (!inside.some((a) => a.level === "warning" && a.key.startsWith(prefix) && a.at <= episode.repairAt!)) {
            violations.push({ invariant: INVARIANTS.gaveUpOnce, at: episode.repairAt, detail: `${episode.labels.join(" + ")}: never reported "${prefix}…" at warning before the repair` });
          }
        }
      }
      const byTopic = new Map<string, number[]>();
      for (const a of inside) byTopic.set(announcementTopic(a.key), [...(byTopic.get(announcementTopic(a.key)) ?? []), a.at]);
      for (const [topic, times] of byTopic) {
        for (let i = 1; i < times.length; i++) {
          // "recovered from X" reports one remedy's success: after another remedy, a second one is news.
          const remedyBetween = topic.startsWith("recovered:") && played.remedies.some((r) => r.at > (times[i - 1] as number) && r.at < (times[i] as number));
          if (!remedyBetween && !clearFor(played.healthy, times[i - 1] as number, times[i] as number, config.timing.healthyHold)) {
            violations.push({ invariant: INVARIANTS.saidOnce, at: times[i] as number, detail: `"${topic}" said again at +${Math.round((times[i] as number) / 1000)}s (first at +${Math.round((times[i - 1] as number) / 1000)}s) without the node healthy for ${config.timing.healthyHold / 1000}s between` });
            break;
          }
        }
      }
    }
    if (episodes.some((e) => e.restarts.length > 0)) violations.push(...(await hastened(schedule, played, episodes, startAt)));
  }
  const remediesByKind: Record<string, number> = {};
  for (const r of played.remedies) remediesByKind[r.kind] = (remediesByKind[r.kind] ?? 0) + 1;
  return { simulatedMs: durationMs, violations, faultsByKind: played.faults, remediesByKind, recoveries, gaveUps, timeToHealthy, document };
}

/** Per episode with a restart: each kind's first remedy is not earlier, and there are not more, than without the restarts. */
async function hastened(schedule: Schedule, withRestarts: Played, episodes: PlacedEpisode[], startAt: string | null): Promise<Violation[]> {
  const { played: baseline } = await play(withoutRestarts(schedule), "soak-baseline", startAt);
  const violations: Violation[] = [];
  for (const episode of episodes.filter((e) => e.restarts.length > 0)) {
    const firstRestart = Math.min(...episode.restarts);
    const within = (marks: RemedyMark[], kind: string) => marks.filter((m) => m.kind === kind && m.at >= firstRestart && m.at < episode.end);
    for (const kind of ["restart-k3s", "killall-k3s", "restart-registry", "delete-pods"]) {
      const mine = within(withRestarts.remedies, kind);
      const base = within(baseline.remedies, kind);
      const first = mine[0];
      if (first && (base[0] === undefined || first.at < base[0].at - HASTEN_TOLERANCE_MS)) {
        violations.push({ invariant: INVARIANTS.hasten, at: first.at, detail: `${kind} at +${Math.round(first.at / 1000)}s with a daemon restart at +${Math.round(firstRestart / 1000)}s; without the restart ${base[0] ? `at +${Math.round(base[0].at / 1000)}s` : "never"}` });
      } else if (mine.length > base.length) {
        violations.push({ invariant: INVARIANTS.hasten, at: first?.at ?? firstRestart, detail: `${mine.length} × ${kind} after a daemon restart at +${Math.round(firstRestart / 1000)}s; ${base.length} without it` });
      }
    }
  }
  return violations;
}
