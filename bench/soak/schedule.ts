// A soak schedule: episodes one after another over node time. A trouble episode strikes one to
// three faults (any kind, close together), with daemon restarts at random moments (in flight too),
// perhaps an operator's pause and resume, and, when no remedy can fix it, a person's repair two
// hours later. A quiet episode is days of nothing. The schedule is written as a scenario document,
// so a shrunk one is a scenario file the catalog can keep.
import fc from "fast-check";
import { parseConfig } from "../../src/config/load.js";
import { LADDER } from "../../src/core/ladder.js";
import { faultDraw, type FaultDraw } from "./fault-draws.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** One stretch of node time. */
export type Episode =
  | { kind: "quiet"; hours: number }
  | {
    kind: "trouble";
    draws: FaultDraw[];
    /** Seconds after the episode's start each draw strikes (the first at 0). */
    offsets: number[];
    /** Seconds after the start: `systemctl restart songnodes-watchdog`. */
    restarts: number[];
    pause: { at: number; minutes: number; resumeAfter: number | null } | null;
    /** How long the episode lasts at least (the next one starts after it). */
    hours: number;
  };

/** One fast-check run: a node seed, dry-run or not, and its episodes. */
export interface Schedule {
  seed: number;
  dryRun: boolean;
  episodes: Episode[];
}

/** An episode placed on the run's clock (ms since the run's start), for the checks. */
export interface PlacedEpisode {
  index: number;
  start: number;
  end: number;
  labels: string[];
  recoverable: boolean;
  /** When the last of its faults struck, and when the node must be healthy by (recoverable only). */
  lastStrike: number;
  healthyBy: number;
  repairAt: number | null;
  restarts: number[];
  /** Unrecoverable troubles no remedy treats: the key prefix each is reported under, once, at warning. */
  reportedAs: string[];
  /** Whether some unrecoverable trouble is one the ladder treats (so it must give up once at err). */
  givesUp: boolean;
  /** A trouble that gives up only alone shares the episode with others: one err or none, never two. */
  givesUpMaybe: boolean;
  /** Recoverable troubles whose remedy cannot fix them (they come back by themselves): each may add one err. */
  mayGiveUp: number;
}

// A person repairs an unrecoverable node this long after the fault (the daemon must have given up first).
const REPAIR_AFTER_MS = 2 * HOUR;
// What the node needs after a repair (k3s restart, pods, metadata-enrichment's startup).
const AFTER_REPAIR_MS = HOUR;

const trouble: fc.Arbitrary<Episode> = fc.record({
  kind: fc.constant("trouble" as const),
  draws: fc.array(faultDraw, { minLength: 1, maxLength: 3 }),
  offsets: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 3, maxLength: 3 }),
  restarts: fc.array(fc.integer({ min: 0, max: 1_800 }), { maxLength: 2 }),
  pause: fc.option(fc.record({ at: fc.integer({ min: 0, max: 900 }), minutes: fc.integer({ min: 5, max: 90 }), resumeAfter: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) }), { nil: null, freq: 6 }),
  hours: fc.integer({ min: 2, max: 10 }),
});
const pauseOnly: fc.Arbitrary<Episode> = fc.record({
  kind: fc.constant("trouble" as const), draws: fc.constant<FaultDraw[]>([]), offsets: fc.constant<number[]>([0, 0, 0]), restarts: fc.array(fc.integer({ min: 0, max: 3_600 }), { maxLength: 2 }),
  pause: fc.record({ at: fc.integer({ min: 0, max: 600 }), minutes: fc.integer({ min: 5, max: 240 }), resumeAfter: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }) }),
  hours: fc.integer({ min: 1, max: 6 }),
});
const quiet: fc.Arbitrary<Episode> = fc.integer({ min: 24, max: 168 }).map((hours) => ({ kind: "quiet" as const, hours }));

/** Episodes: mostly trouble, some quiet days and weeks, some pauses with nothing wrong. */
export const episodeArb: fc.Arbitrary<Episode> = fc.oneof({ arbitrary: trouble, weight: 12 }, { arbitrary: quiet, weight: 2 }, { arbitrary: pauseOnly, weight: 1 });

/** A schedule of `min`–`max` episodes; one run in ten is a dry run. */
export const scheduleArb = (min: number, max: number): fc.Arbitrary<Schedule> =>
  fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }), dryRun: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }), episodes: fc.array(episodeArb, { minLength: min, maxLength: max }) });

/** The same schedule without its daemon restarts (the run a restart must never hasten). */
export function withoutRestarts(schedule: Schedule): Schedule {
  return { ...schedule, episodes: schedule.episodes.map((e) => (e.kind === "trouble" ? { ...e, restarts: [] } : e)) };
}

const words = (ms: number) => `${Math.round(ms / 1000)}s`;

// The reports an episode must make: none about pods while another trouble keeps the pod list
// unreadable for good, no finalizer while the node stays NotReady (no deletion, so no force delete),
// and no hanging API while another trouble keeps k3s or its API down.
function reportsExpected(draws: FaultDraw[]): string[] {
  const hidden = draws.some((d) => d.hidesPods === true);
  const barred = draws.some((d) => d.barsDeletions === true);
  // A hanging API is not seen while another trouble keeps k3s or its API down (it reads refused, or 500).
  const maskedApi = (d: FaultDraw) => d.hidesApi === true && draws.some((other) => other !== d && other.hidesPods === true);
  return draws.flatMap((d) => (d.reportedAs === undefined || (hidden && d.reportsPods === true) || (barred && d.reportedAs === "finalizer:") || maskedApi(d) ? [] : [d.reportedAs]));
}

// Under systemd's start limit every k3s stop is a start only the daemon makes, and the daemon makes
// at most a ladder's worth (restart, killall; fewer than the restart budget) before it gives up and
// waits out its cooldown: each further batch adds a cooldown (and the batch's own minutes). A crash
// loop that stops by itself after 6 crashes, each landing in start-limit-hit, ends only after the
// daemon has given up twice: within the budgets, as it must, not a failure to recover.
const POLICY = parseConfig({});
const K3S_BATCH = LADDER["k3s-down"].length;
function startLimitWaits(draws: readonly FaultDraw[]): number {
  if (!draws.some((d) => d.label.startsWith("k3s-start-limit"))) return 0;
  const stops = draws.reduce((sum, d) => sum + (d.k3sStops ?? 0), 0);
  return Math.max(0, Math.ceil(stops / K3S_BATCH) - 1) * (POLICY.timing.gaveUpCooldown + 10 * MIN);
}

/** The schedule as a scenario document (the scenarios/ format), and its episodes on the clock. */
export function toScenario(schedule: Schedule, name: string): { document: Record<string, unknown>; episodes: PlacedEpisode[]; durationMs: number } {
  const faults: Record<string, unknown>[] = [];
  const operator: Record<string, unknown>[] = [];
  const placed: PlacedEpisode[] = [];
  let t = 10 * MIN;
  schedule.episodes.forEach((episode, index) => {
    if (episode.kind === "quiet") {
      t += episode.hours * HOUR;
      return;
    }
    const start = t;
    let lastStrike = start;
    let bound = 0;
    episode.draws.forEach((draw, i) => {
      const base = start + (i === 0 ? 0 : (episode.offsets[i] ?? 0) * 1000);
      for (const fault of draw.faults) {
        const at = base + fault.offset * 1000;
        faults.push({ at: words(at), ...fault.entry });
        lastStrike = Math.max(lastStrike, at);
      }
      // Troubles that strike together may each need their own ladder and budget: their bounds add up.
      bound += draw.boundMs;
    });
    bound += startLimitWaits(episode.draws);
    const recoverable = episode.draws.every((d) => d.recoverable);
    const restarts = episode.restarts.map((r) => start + r * 1000);
    for (const at of restarts) operator.push({ at: words(at), restartDaemon: true });
    let pausedUntil = 0;
    if (episode.pause) {
      const at = start + episode.pause.at * 1000;
      operator.push({ at: words(at), pause: `${episode.pause.minutes}m`, reason: "soak: maintenance" });
      pausedUntil = at + episode.pause.minutes * MIN;
      if (episode.pause.resumeAfter !== null && episode.pause.resumeAfter < episode.pause.minutes) {
        operator.push({ at: words(at + episode.pause.resumeAfter * MIN), resume: "soak: done early" });
        pausedUntil = at + episode.pause.resumeAfter * MIN;
      }
    }
    let repairAt: number | null = null;
    if (!recoverable) {
      repairAt = Math.max(lastStrike, pausedUntil) + REPAIR_AFTER_MS;
      operator.push({ at: words(repairAt), repair: "soak: a person repairs what the daemon could not" });
      operator.push({ at: words(repairAt + MIN), resume: "soak: repaired" });
    }
    // A pause holds every remedy: the bound counts from the later of the last fault and the pause's end.
    const healthyBy = Math.max(lastStrike, pausedUntil) + bound;
    const end = Math.max(start + episode.hours * HOUR, healthyBy + 10 * MIN, repairAt === null ? 0 : repairAt + AFTER_REPAIR_MS, pausedUntil + 10 * MIN, ...restarts.map((r) => r + 10 * MIN));
    placed.push({ index, start, end, labels: episode.draws.map((d) => d.label), recoverable, lastStrike, healthyBy, repairAt, restarts,
      reportedAs: reportsExpected(episode.draws), givesUp: episode.draws.some((d) => !d.recoverable && d.reportedAs === undefined && (d.givesUpAlone !== true || episode.draws.length === 1)
        && !(d.seenThroughApi === true && episode.draws.some((other) => other.hidesApi === true))),
      givesUpMaybe: episode.draws.length > 1 && episode.draws.some((d) => d.givesUpAlone === true),
      mayGiveUp: episode.draws.filter((d) => d.mayGiveUp === true).length });
    t = end;
  });
  const byTime = (a: Record<string, unknown>, b: Record<string, unknown>) => Number.parseInt(String(a.at), 10) - Number.parseInt(String(b.at), 10);
  const document = {
    name,
    description: `A soak schedule: ${placed.length} trouble episode(s) over ${(t / 86_400_000).toFixed(1)} days of node time${schedule.dryRun ? ", in dry-run" : ""}.`,
    runbook: "the simulated year (npm run soak)",
    duration: words(t),
    start: "healthy",
    seed: schedule.seed,
    config: schedule.dryRun ? { dryRun: true } : {},
    faults: faults.sort(byTime),
    operator: operator.sort(byTime),
    expect: {},
  };
  return { document, episodes: placed, durationMs: t };
}
