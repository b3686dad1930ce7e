// The top entries of a V8 CPU profile (`node --cpu-prof`), counting only the samples taken after
// `skipMs` (and before `untilMs`): the idle daemon's cost without its start-up and its stop. Self
// time per function, as a table.
// Usage: node dist/bench/cost/profile-top.js FILE.cpuprofile [skipMs] [top] [untilMs]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One line of the table: where, and how much self time it took in the counted stretch. */
export interface ProfileEntry {
  where: string;
  selfMs: number;
}

/** Self time per function after `skipMs` and before `untilMs`, the busiest first; idle and GC are named as V8 names them. */
export function topEntries(profile: CpuProfile, skipMs: number, untilMs = Infinity): { entries: ProfileEntry[]; countedMs: number; busyMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let at = 0;
  let countedMs = 0;
  let busyMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const deltaMs = (profile.timeDeltas[i] ?? 0) / 1000;
    at += deltaMs;
    if (at < skipMs || at >= untilMs) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(node_modules|dist)\//, "$1/")}${url ? `:${lineNumber + 1}` : ""}`.trim();
    self.set(where, (self.get(where) ?? 0) + deltaMs);
    countedMs += deltaMs;
    if (functionName !== "(idle)" && functionName !== "(program)") busyMs += deltaMs;
  }
  const entries = [...self.entries()].map(([where, selfMs]) => ({ where, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { entries, countedMs, busyMs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [file, skip = "0", top = "15", until = "Infinity"] = process.argv.slice(2);
  if (!file) {
    console.error("usage: profile-top FILE.cpuprofile [skipMs] [top] [untilMs]");
    process.exit(64);
  }
  const { entries, countedMs, busyMs } = topEntries(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, Number(skip), Number(until));
  console.log(`counted ${(countedMs / 1000).toFixed(1)} s; JavaScript and GC (not idle, not program): ${busyMs.toFixed(1)} ms`);
  console.log("| self ms | function |\n|---:|---|");
  for (const entry of entries.slice(0, Number(top))) console.log(`| ${entry.selfMs.toFixed(1)} | \`${entry.where}\` |`);
}
