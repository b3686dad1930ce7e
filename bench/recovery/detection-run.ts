// Only the detection per failure kind, over the whole catalog (the recovery bench's runs, about 2 min).
// Usage: npm run build && node dist/bench/recovery/detection-run.js [scenario…]
import { catalogNames, loadScenario } from "../../src/sim/scenario/load.js";
import { runScenarioBench, type ScenarioResult } from "./catalog-run.js";
import { detectionByFault } from "./detection.js";

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : catalogNames();
const results: ScenarioResult[] = [];
const firstFault = new Map<string, string>();
for (const name of names) {
  const scenario = loadScenario(name);
  const first = [...scenario.faults].sort((a, b) => a.at - b.at)[0];
  if (first) firstFault.set(name, first.fault);
  results.push(await runScenarioBench(scenario));
}
console.log(`daemon's detection per failure kind (first fault of a scenario; worst over its scenarios):\n${detectionByFault(results, firstFault)}`);
