// The recovery bench alone (the first part of `npm run bench`), with an earlier commit's daemon
// beside this one's when asked. It prints the recovery table, the floor ratios and the daemon's
// detection per failure kind; it writes nothing (`npm run bench` writes bench/results/).
// Usage: node dist/bench/recovery/main.js [--before REV | --before-root DIR] [scenario ...]
//   --before REV       export and compile commit REV (e.g. main, a sha) as the "before" daemon
//   --before-root DIR  a built checkout (its dist/) as the "before" daemon
import { join } from "node:path";
import { catalogDir, catalogNames, loadScenario } from "../../src/sim/scenario/load.js";
import { buildCommit, loadBuild } from "./before-build.js";
import { runScenarioBench, type ScenarioResult } from "./catalog-run.js";
import type { Contender } from "./contender.js";
import { BEFORE } from "./before-name.js";
import { daemonContender } from "./daemon-contender.js";
import { formatFloorTable } from "./floor-table.js";
import { summarise } from "./summary.js";
import { formatRecoveryTable } from "./table.js";
import { parseConfig } from "../../src/config/load.js";


const args = process.argv.slice(2);
const take = (flag: string): string | null => {
  const at = args.indexOf(flag);
  if (at < 0) return null;
  const value = args[at + 1];
  if (value === undefined) {
    console.error(`${flag} needs a value`);
    process.exit(64);
  }
  args.splice(at, 2);
  return value;
};
const beforeRev = take("--before");
const beforeDir = take("--before-root");
const root = join(catalogDir(), "..");
const progress = (line: string) => process.stderr.write(`${line}\n`);
const beforeRoot = beforeDir ?? (beforeRev === null ? null : buildCommit(root, beforeRev, progress));
const beforeBuild = beforeRoot === null ? null : await loadBuild(beforeRoot);
const names = args.length > 0 ? args : catalogNames();

const wallStart = performance.now();
const results: ScenarioResult[] = [];
for (const name of names) {
  const scenario = loadScenario(name);
  const tick = parseConfig(scenario.config, `scenario ${scenario.name}: config`).timing.tick;
  const extra: Contender[] = beforeBuild === null ? [] : [daemonContender(tick, undefined, beforeBuild, BEFORE)];
  results.push(await runScenarioBench(scenario, extra));
  progress(`recovery: ${name} done (${((performance.now() - wallStart) / 1000).toFixed(0)} s)`);
}
const summary = summarise(results, new Set());
console.log(formatRecoveryTable(results, summary));
console.log("");
if (beforeRoot !== null) console.log(`${BEFORE}: the daemon built from ${beforeRev ?? beforeRoot} (${beforeRoot}); daemon: this checkout\n`);
console.log(formatFloorTable(results, beforeBuild === null ? ["daemon"] : [BEFORE, "daemon"]));
console.log(`\nnode dist/bench/recovery/main.js ${process.argv.slice(2).join(" ")} in ${((performance.now() - wallStart) / 1000).toFixed(0)} s`);
