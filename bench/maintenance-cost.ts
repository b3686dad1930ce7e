// `node dist/bench/maintenance-cost.js [--off] [--no-every-minute] [--package-flags] [--window-s S]
// [POD_COUNTS…]`: only the real daemon's cost with maintenance as served (its default schedules,
// daily to monthly: none runs in the window) and with every check every minute, at the given pod
// counts (default 50 500 5000), printed as the cost tables of `npm run bench` (whose run includes
// the every-minute row). `--off` adds a run with maintenance.enabled: false.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogDir } from "../src/sim/scenario/load.js";
import { measureEvaluation } from "./cost/evaluation.js";
import { measureJournalGrowth } from "./cost/journal-growth.js";
import { measureRealDaemon } from "./cost/real-daemon.js";
import { formatCostTable } from "./cost/table.js";

const withOff = process.argv.includes("--off");
// --no-every-minute: skip the every-minute run (the as-served and off rows alone).
const everyMinute = !process.argv.includes("--no-every-minute");
// --package-flags: start the daemon as the package's launcher does, with packaging/node-flags.json.
const launch = process.argv.includes("--package-flags")
  ? { nodeFlags: (JSON.parse(readFileSync(join(catalogDir(), "..", "packaging", "node-flags.json"), "utf8")) as { flags: string[] }).flags }
  : {};
// --window-s S: the idle window (default 60 s); a longer one averages out the garbage collections.
const windowAt = process.argv.indexOf("--window-s");
const windowMs = windowAt < 0 ? undefined : Number(process.argv[windowAt + 1]) * 1000;
const counts = process.argv.slice(2).filter((_, i, all) => all[i - 1] !== "--window-s").map(Number).filter((n) => n > 0);
const podCounts = counts.length > 0 ? counts : [50, 500, 5_000];
const root = join(catalogDir(), "..");
const progress = (line: string) => process.stderr.write(`${line}\n`);
const evaluation = await measureEvaluation(podCounts);
const growth = await measureJournalGrowth();
const off = await measureRealDaemon({ root, counts: podCounts, windowMs, launch, progress });
const on = everyMinute ? await measureRealDaemon({ root, counts: podCounts, maintenance: "every-minute", windowMs, launch, progress }) : null;
const none = withOff ? await measureRealDaemon({ root, counts: podCounts, maintenance: "off", windowMs, launch, progress }) : null;
console.log(formatCostTable(evaluation, growth, off, "Cost with maintenance as served: its default schedules (daily, weekly, monthly; the first catch-up 10 min after start), none due in the window"));
if (on !== null) {
  console.log("");
  console.log(formatCostTable(evaluation, growth, on, "Cost with maintenance on: every check every minute (catch-up at start), otherwise as above"));
}
if (none !== null) {
  console.log("");
  console.log(formatCostTable(evaluation, growth, none, "Cost with maintenance off (maintenance.enabled: false), otherwise as above"));
}
