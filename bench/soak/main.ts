// `npm run soak [-- --seed N --years Y]`: a simulated year (or more) of random faults against the
// real loop and core; prints the figures and saves them in bench/results/soak.json, and writes
// each shrunk violation as a scenario file in bench/results/soak-shrunk/.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { formatSummary, recoverableLabels, summary } from "./figures.js";
import { soak } from "./soak.js";

const USAGE = "usage: npm run soak -- [--seed N] [--years Y] [--shrink-seconds S]";

function option(name: string, fallback: number, zeroOk = false): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroOk)) {
    process.stderr.write(`--${name} must be a positive number, got ${JSON.stringify(process.argv[index + 1])}\n${USAGE}\n`);
    process.exit(64);
  }
  return value;
}

const seed = Math.floor(option("seed", 20_251_114));
const years = option("years", 1);
// Wall time fast-check may spend shrinking one failure (0: report without shrinking).
const shrinkSeconds = option("shrink-seconds", 90, true);
// dist/bench/soak/main.js → the package root.
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const results = join(root, "bench", "results");
// The floors for every kind a recovery can be counted under, on the second core meanwhile.
const floorsWorker = new Worker(new URL("./floors-worker.js", import.meta.url), { workerData: { labels: recoverableLabels() } });
const floorsDone = new Promise<Record<string, number | null>>((resolve, reject) => {
  floorsWorker.once("message", resolve);
  floorsWorker.once("error", reject);
});
const totals = await soak({
  seed, days: 365 * years, episodes: [10, 30], shrinkMs: shrinkSeconds * 1000, shrunkDir: join(results, "soak-shrunk"),
  progress: (line) => process.stderr.write(`${line}\n`),
});
const allFloors = await floorsDone;
const floor = Object.fromEntries(Object.keys(totals.timeToHealthy).map((kind) => [kind, allFloors[kind] ?? null]));
const figures = summary(totals, floor, `npm run soak -- --seed ${seed} --years ${years} --shrink-seconds ${shrinkSeconds}`);
mkdirSync(results, { recursive: true });
writeFileSync(join(results, "soak.json"), `${JSON.stringify(figures, null, 2)}\n`);
process.stdout.write(`${formatSummary(figures)}\n`);
// A killed daemon's abandoned promises hold nothing; end the process without waiting for them.
process.exit(0);
