// `node dist/bench/soak/replay.js --seed S --run N [--episodes A-B] [--out FILE]`: replays one run
// of the soak (the schedule fast-check draws for seed S + N, the same the soak ran), prints its
// violations with their details, and writes it as a scenario file. `--episodes A-B` keeps only
// episodes A to B (0-based, inclusive): a violation's episode and the one before are usually enough
// to cut a year's run down to a regression scenario by hand when shrinking takes too long.
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { stringify } from "yaml";
import { runSchedule } from "./run-schedule.js";
import { scheduleArb, toScenario, type Schedule } from "./schedule.js";

const USAGE = "usage: node dist/bench/soak/replay.js --seed S --run N [--episodes A-B] [--out FILE]";

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
let schedule = fc.sample(scheduleArb(10, 30), { seed: seed + run, numRuns: 1 })[0] as Schedule;
if (range !== undefined) {
  const match = /^(\d+)-(\d+)$/.exec(range);
  if (match === null) fail(`--episodes must be A-B, got ${JSON.stringify(range)}`);
  schedule = { ...schedule, episodes: schedule.episodes.slice(Number(match[1]), Number(match[2]) + 1) };
}
const { episodes } = toScenario(schedule, "replay");
for (const e of episodes) {
  process.stdout.write(`episode ${e.index}: +${Math.round(e.start / 1000)}s…+${Math.round(e.end / 1000)}s ${e.labels.join(" + ") || "(pause only)"}${e.restarts.length ? `, daemon restarts at ${e.restarts.map((r) => `+${Math.round(r / 1000)}s`).join(", ")}` : ""}\n`);
}
const result = await runSchedule(schedule, `soak-replay-${seed}-${run}`);
process.stdout.write(`${(result.simulatedMs / 86_400_000).toFixed(2)} days${schedule.dryRun ? " (dry run)" : ""}, ${result.violations.length} violation(s)\n`);
for (const v of result.violations) process.stdout.write(`  +${Math.round(v.at / 1000)}s ${v.invariant}: ${v.detail}\n`);
if (out !== undefined) {
  writeFileSync(out, `# Replayed from the soak: seed ${seed}, run ${run}${range ? `, episodes ${range}` : ""}\n${result.violations.map((v) => `#   +${Math.round(v.at / 1000)}s ${v.invariant}: ${v.detail}`).join("\n")}\n${stringify(result.document)}`);
  process.stdout.write(`written: ${out}\n`);
}
process.exit(0);
