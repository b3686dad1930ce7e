// The idle cost of two builds of the daemon side by side, in one run: each pod count is measured
// with the other build's daemon right after, on the same machine, the same way (real-daemon.ts).
// Usage: node dist/bench/cost/before-after.js BEFORE_ROOT [counts, e.g. 50,500,5000] [--window-s S] [--rounds N]
// BEFORE_ROOT is a built checkout of the earlier commit (git worktree add; npm ci; npm run build).
// A 60 s window holds one garbage collection or none, which moves the figure by tens of ms: longer
// windows (--window-s) and several rounds, before and after taking turns (--rounds), average it out.
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
  const flag = (name: string): number | undefined => {
    const at = process.argv.indexOf(`--${name}`);
    return at < 0 ? undefined : Number(process.argv[at + 1]);
  };
  const windowMs = (flag("window-s") ?? 60) * 1000;
  const rounds = flag("rounds") ?? 1;
  const [beforeArg, countsArg = "50,500,5000"] = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !(all[i - 1] ?? "").startsWith("--"));
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
    for (let round = 1; round <= rounds; round++) {
      const [old] = await measureRealDaemon({ root: before, counts: [pods], windowMs, progress });
      const [now] = await measureRealDaemon({ root: after, counts: [pods], windowMs, progress });
      const tag = rounds > 1 ? ` (round ${round})` : "";
      lines.push(formatBeforeAfterRow(`before${tag}`, old!), formatBeforeAfterRow(`after${tag}`, now!));
    }
  }
  console.log(`before: ${before}\nafter: ${after}\nload average at the end: ${loadavg().map((n) => n.toFixed(1)).join(", ")}\n\n${lines.join("\n")}`);
}
