// `node dist/bench/maintenance-cost.js [POD_COUNTS…]`: only the real daemon's cost with maintenance
// on (every check every minute) and without, at the given pod counts (default 50 500 5000), printed
// as the cost tables of `npm run bench` (whose run includes this row).
import { join } from "node:path";
import { catalogDir } from "../src/sim/scenario/load.js";
import { measureEvaluation } from "./cost/evaluation.js";
import { measureJournalGrowth } from "./cost/journal-growth.js";
import { measureRealDaemon } from "./cost/real-daemon.js";
import { formatCostTable } from "./cost/table.js";

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const podCounts = counts.length > 0 ? counts : [50, 500, 5_000];
const root = join(catalogDir(), "..");
const progress = (line: string) => process.stderr.write(`${line}\n`);
const evaluation = await measureEvaluation(podCounts);
const growth = await measureJournalGrowth();
const off = await measureRealDaemon({ root, counts: podCounts, progress });
const on = await measureRealDaemon({ root, counts: podCounts, maintenance: true, progress });
console.log(formatCostTable(evaluation, growth, off));
console.log("");
console.log(formatCostTable(evaluation, growth, on, "Cost with maintenance on: every check every minute (catch-up at start), otherwise as above"));
