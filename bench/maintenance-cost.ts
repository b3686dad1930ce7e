// `node dist/bench/maintenance-cost.js [--off] [POD_COUNTS…]`: only the real daemon's cost with
// maintenance as served (its default schedules, daily to monthly: none runs in the window) and with
// every check every minute, at the given pod counts (default 50 500 5000), printed as the cost
// tables of `npm run bench` (whose run includes the every-minute row). `--off` adds a third run with
// maintenance.enabled: false.
import { join } from "node:path";
import { catalogDir } from "../src/sim/scenario/load.js";
import { measureEvaluation } from "./cost/evaluation.js";
import { measureJournalGrowth } from "./cost/journal-growth.js";
import { measureRealDaemon } from "./cost/real-daemon.js";
import { formatCostTable } from "./cost/table.js";

const withOff = process.argv.includes("--off");
const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const podCounts = counts.length > 0 ? counts : [50, 500, 5_000];
const root = join(catalogDir(), "..");
const progress = (line: string) => process.stderr.write(`${line}\n`);
const evaluation = await measureEvaluation(podCounts);
const growth = await measureJournalGrowth();
const off = await measureRealDaemon({ root, counts: podCounts, progress });
const on = await measureRealDaemon({ root, counts: podCounts, maintenance: "every-minute", progress });
const none = withOff ? await measureRealDaemon({ root, counts: podCounts, maintenance: "off", progress }) : null;
console.log(formatCostTable(evaluation, growth, off, "Cost with maintenance as served: its default schedules (daily, weekly, monthly; the first catch-up 10 min after start), none due in the window"));
console.log("");
console.log(formatCostTable(evaluation, growth, on, "Cost with maintenance on: every check every minute (catch-up at start), otherwise as above"));
if (none !== null) {
  console.log("");
  console.log(formatCostTable(evaluation, growth, none, "Cost with maintenance off (maintenance.enabled: false), otherwise as above"));
}
