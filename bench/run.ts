// `npm run bench`: the recovery table over the scenario catalog and the cost table, printed and
// written to bench/results/ (latest.json and latest.md) with the machine and the command. The
// recovery part alone, with an earlier commit's daemon beside this one's: bench/recovery/main.ts.
// SONGNODES_BENCH_BEFORE=<git rev> adds that commit's daemon to the recovery part here too.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import { catalogDir, catalogNames, loadScenario } from "../src/sim/scenario/load.js";
import { formatCacheMemory, measureCacheMemory } from "./cost/cache-memory.js";
import { measureEvaluation } from "./cost/evaluation.js";
import { measureJournalGrowth } from "./cost/journal-growth.js";
import { formatProcessChoices, measureProcessChoices, processChoices } from "./cost/process-choice.js";
import { measureRealDaemon } from "./cost/real-daemon.js";
import { formatCostTable } from "./cost/table.js";
import { buildCommit, loadBuild } from "./recovery/before-build.js";
import { runScenarioBench, type ScenarioResult } from "./recovery/catalog-run.js";
import { detectionByFault } from "./recovery/detection.js";
import { daemonContender } from "./recovery/daemon-contender.js";
import { formatFloorTable } from "./recovery/floor-table.js";
import { BEFORE } from "./recovery/before-name.js";
import { parseConfig } from "../src/config/load.js";
import { summarise } from "./recovery/summary.js";
import { formatRecoveryTable } from "./recovery/table.js";

// Faults that make the k3s unit fail at once: what "detect a k3s unit failure" is measured on.
const K3S_FAILURES = new Set(["k3s-killed", "k3s-fails-to-start", "k3s-crash-loop", "containerd-corruption"]);
const POD_COUNTS = [50, 500, 5_000];
const MAINTENANCE_TITLE = "Cost with maintenance on: every check every minute (catch-up at start), otherwise as above";

const wallStart = performance.now();
const beforeRev = process.env.SONGNODES_BENCH_BEFORE;
const beforeBuild = beforeRev ? await loadBuild(buildCommit(join(catalogDir(), ".."), beforeRev, (line) => process.stderr.write(`${line}\n`))) : null;
const results: ScenarioResult[] = [];
const k3sFailureScenarios = new Set<string>();
// The first fault of each scenario: detection is reported per failure kind.
const firstFault = new Map<string, string>();
for (const name of catalogNames()) {
  const scenario = loadScenario(name);
  const first = [...scenario.faults].sort((a, b) => a.at - b.at)[0];
  if (first && K3S_FAILURES.has(first.fault)) k3sFailureScenarios.add(name);
  if (first) firstFault.set(name, first.fault);
  const extra = beforeBuild === null ? [] : [daemonContender(parseConfig(scenario.config, `scenario ${name}: config`).timing.tick, undefined, beforeBuild, BEFORE)];
  results.push(await runScenarioBench(scenario, extra));
  process.stderr.write(`recovery: ${name} done (${((performance.now() - wallStart) / 1000).toFixed(0)} s)\n`);
}
const summary = summarise(results, k3sFailureScenarios);
const detection = detectionByFault(results, firstFault);
const floorTable = formatFloorTable(results, beforeBuild === null ? ["daemon"] : [BEFORE, "daemon"]);
const beforeLine = beforeBuild === null ? "" : `\n${BEFORE}: the daemon built from ${beforeRev}; daemon: this checkout`;
const recoveryTable = `${formatRecoveryTable(results, summary)}\n\nTime to healthy against the fair floor (docs/benchmarks.md):${beforeLine}\n${floorTable}\n\ndaemon's detection per failure kind (first fault of a scenario; worst over its scenarios):\n${detection}`;

const evaluation = await measureEvaluation(POD_COUNTS);
const growth = await measureJournalGrowth();
// The built CLI (npm run bench builds first) against `simulate --serve --pods N`, one count at a time.
const processFigures = await measureRealDaemon({ root: join(catalogDir(), ".."), counts: POD_COUNTS, progress: (line) => process.stderr.write(`${line}\n`) });
const cacheMemory = await measureCacheMemory([500, 5_000, 20_000]);
// The same with maintenance on at its most expensive: every check every minute.
const maintenanceFigures = await measureRealDaemon({ root: join(catalogDir(), ".."), counts: POD_COUNTS, maintenance: "every-minute", progress: (line) => process.stderr.write(`maintenance ${line}\n`) });
const costTable = `${formatCostTable(evaluation, growth, processFigures)}\n\n${formatCostTable(evaluation, growth, maintenanceFigures, MAINTENANCE_TITLE)}\n\n${formatCacheMemory(cacheMemory)}`;
// Node's defaults against the package launcher's V8 flags at 5,000 pods; SONGNODES_BENCH_PACKAGE_ROOT
// (a .deb unpacked with dpkg-deb -x) adds the package's own Node.
const choiceRoot = join(catalogDir(), "..");
const choices = await measureProcessChoices(choiceRoot, processChoices(choiceRoot, process.env.SONGNODES_BENCH_PACKAGE_ROOT), 5_000, (line) => process.stderr.write(`${line}\n`));
const choiceTable = formatProcessChoices(choices, 5_000);

const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memoryMiB: Math.round(totalmem() / 1048576), kernel: release(), node: process.version };
const command = "npm run bench";
const wallMs = performance.now() - wallStart;
console.log(recoveryTable);
console.log("");
console.log(costTable);
console.log("");
console.log(choiceTable);
console.log(`\n${command} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, in ${(wallMs / 1000).toFixed(0)} s`);

const dir = join(catalogDir(), "..", "bench", "results");
mkdirSync(dir, { recursive: true });
const at = new Date().toISOString();
writeFileSync(join(dir, "latest.json"), `${JSON.stringify({ at, command, machine, wallMs, recovery: { summary, results }, cost: { evaluation, journalGrowth: growth, process: processFigures, processWithMaintenance: maintenanceFigures, cacheMemory, processChoices: choices } }, null, 2)}\n`);
writeFileSync(join(dir, "latest.md"), [
  `# Benchmark results`, ``, `${at}: \`${command}\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryMiB} MiB, Linux ${machine.kernel}, Node ${machine.node}; ${(wallMs / 1000).toFixed(0)} s.`,
  `How to read these: docs/benchmarks.md.`, ``, "```", recoveryTable, "```", ``, "```", costTable, "```", ``, "```", choiceTable, "```", ``,
].join("\n"));
