// `node dist/bench/soak/replay.js --seed S --run N [--episodes A-B] [--out FILE]`: replays one run
// of the soak (the schedule fast-check draws for seed S + N, the same the soak ran), prints its
// violations with their details, and writes it as a scenario file. `--episodes A-B` keeps only
// episodes A to B (0-based, inclusive): a violation's episode and the one before are usually enough
// to cut a year's run down to a regression scenario by hand when shrinking takes too long.
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { stringify } from "yaml";
import type { TimelineEntry } from "../../src/sim/scenario/runner.js";
import { runSchedule } from "./run-schedule.js";
import { scheduleArb, toScenario, withoutRestarts, type Schedule } from "./schedule.js";

const USAGE = "usage: node dist/bench/soak/replay.js --seed S --run N [--episodes A-B] [--out FILE] [--timeline FROM-TO] [--without-restarts]";

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(64);
}

const seed = Number(arg("seed") ?? 20_251_114);
const run = Number(arg("run"));
if (!Number.isInteger(seed) || !Number.isInteger(run) || run < 0) fail("--seed and --run must be whole numbers");
const range = arg("episodes");
const out = arg("out");

// The soak draws with the same arbitrary and seed, one value a run (bench/soak/soak.ts).
// The scenario format's default start (src/sim/scenario/schema.ts), which the soak's runs use.
const DEFAULT_START = "2025-11-14T10:30:00Z";
let startAt: string | null = null;
let schedule = fc.sample(scheduleArb(10, 30), { seed: seed + run, numRuns: 1 })[0] as Schedule;
if (range !== undefined) {
  const match = /^(\d+)-(\d+)$/.exec(range);
  if (match === null) fail(`--episodes must be A-B, got ${JSON.stringify(range)}`);
  const from = Number(match[1]);
  // Keep the cut episodes at their time of day (the hourly CronJob's pull, the nightly backup): the
  // node's clock starts as late as the skipped episodes lasted.
  const skipped = toScenario({ ...schedule, episodes: schedule.episodes.slice(0, from) }, "skipped").durationMs - toScenario({ ...schedule, episodes: [] }, "none").durationMs;
  startAt = new Date(Date.parse(DEFAULT_START) + skipped).toISOString();
  schedule = { ...schedule, episodes: schedule.episodes.slice(from, Number(match[2]) + 1) };
}
// --without-restarts: the same schedule with no daemon restart, the baseline the hastening check compares with.
if (process.argv.includes("--without-restarts")) schedule = withoutRestarts(schedule);
const { episodes } = toScenario(schedule, "replay");
for (const e of episodes) {
  process.stdout.write(`episode ${e.index}: +${Math.round(e.start / 1000)}s…+${Math.round(e.end / 1000)}s ${e.labels.join(" + ") || "(pause only)"}${e.restarts.length ? `, daemon restarts at ${e.restarts.map((r) => `+${Math.round(r / 1000)}s`).join(", ")}` : ""}\n`);
}
// --timeline FROM-TO (node seconds): the run's timeline lines in that span, as `simulate` prints them.
const span = arg("timeline");
const spanMatch = span === undefined ? null : /^(\d+)-(\d+)$/.exec(span);
if (span !== undefined && spanMatch === null) fail(`--timeline must be FROM-TO in seconds, got ${JSON.stringify(span)}`);
const onEntry = spanMatch === null ? undefined : (entry: TimelineEntry) => {
  if (entry.at >= Number(spanMatch[1]) * 1000 && entry.at <= Number(spanMatch[2]) * 1000) {
    process.stdout.write(`+${Math.round(entry.at / 1000)}s [${entry.phase ?? "-"}] ${entry.kind}: ${entry.text}${entry.outcome ? ` → ${entry.outcome.ok ? "ok" : "FAILED"} ${entry.outcome.text}` : ""}\n`);
  }
};
const result = await runSchedule(schedule, `soak-replay-${seed}-${run}`, startAt, onEntry);
process.stdout.write(`${(result.simulatedMs / 86_400_000).toFixed(2)} days${schedule.dryRun ? " (dry run)" : ""}, ${result.violations.length} violation(s)\n`);
for (const v of result.violations) process.stdout.write(`  +${Math.round(v.at / 1000)}s ${v.invariant}: ${v.detail}\n`);
if (out !== undefined) {
  writeFileSync(out, `# Replayed from the soak: seed ${seed}, run ${run}${range ? `, episodes ${range}` : ""}\n${result.violations.map((v) => `#   +${Math.round(v.at / 1000)}s ${v.invariant}: ${v.detail}`).join("\n")}\n${stringify(result.document)}`);
  process.stdout.write(`written: ${out}\n`);
}
process.exit(0);
