// The idle cost of two builds of the daemon side by side, in one run: each pod count is measured
// with the other build's daemon right after, on the same machine, the same way (real-daemon.ts).
// Usage: node dist/bench/cost/before-after.js BEFORE_ROOT [counts, e.g. 50,500,5000]
// BEFORE_ROOT is a built checkout of the earlier commit (git worktree add; npm ci; npm run build).
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { measureRealDaemon, type ProcessCost } from "./real-daemon.js";

/** One row: the figures of one build at one pod count. */
export function formatBeforeAfterRow(label: string, cost: ProcessCost): string {
  if (cost.error) return `| ${cost.pods} | ${label} | ${cost.error.split("\n")[0]} | | | | | |`;
  const api = cost.apiPerMin;
  const apiText = api ? `${api.total.toFixed(1)} (readyz ${api.readyz.toFixed(1)})` : "—";
  const probes = cost.probesReadMean === null || cost.probesReadMean === undefined ? "—" : `${cost.probesReadMean.toFixed(1)} of 7`;
  return `| ${cost.pods.toLocaleString("en")} | ${label} | ${cost.cpuPercentOfCore?.toFixed(3)}% | ${cost.cpuMsPerMin?.toFixed(0)} ms | ${cost.cpuPerIterationMs?.toFixed(1)} ms | ${probes} | ${cost.childCpuMsPerMin?.toFixed(0)} ms | ${apiText} |`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [beforeArg, countsArg = "50,500,5000"] = process.argv.slice(2);
  const before = beforeArg ? resolve(beforeArg) : "";
  if (!before || !existsSync(join(before, "dist", "src", "cli.js"))) {
    console.error("usage: before-after BEFORE_ROOT [counts]: BEFORE_ROOT must hold a built dist/src/cli.js");
    process.exit(64);
  }
  const after = resolve(join(import.meta.dirname, "..", "..", ".."));
  const counts = countsArg.split(",").map(Number);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const lines = ["| pods | daemon | idle CPU (% of a core) | CPU/min | CPU/iteration | probes read/iteration | children's CPU/min | API req/min |", "|---:|---|---:|---:|---:|---:|---:|---:|"];
  for (const pods of counts) {
    const [old] = await measureRealDaemon({ root: before, counts: [pods], progress });
    const [now] = await measureRealDaemon({ root: after, counts: [pods], progress });
    lines.push(formatBeforeAfterRow("before", old!), formatBeforeAfterRow("after", now!));
  }
  console.log(`before: ${before}\nafter: ${after}\nload average at the end: ${loadavg().map((n) => n.toFixed(1)).join(", ")}\n\n${lines.join("\n")}`);
}
