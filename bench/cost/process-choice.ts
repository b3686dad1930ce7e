// The process-level choice, before and after: the real daemon at 5,000 pods started with Node's
// defaults and with the V8 flags the package's launcher gives it (packaging/node-flags.json), on
// this machine's Node and, when an unpacked .deb is given, on the Node the package brings. Peak
// RSS beside idle CPU and decision time, since a flag that saves memory may cost CPU.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { measureRealDaemon, type DaemonLaunch, type ProcessCost } from "./real-daemon.js";

/** One way of starting the daemon, and what it cost. */
export interface ProcessChoice {
  label: string;
  launch: DaemonLaunch;
  cost?: ProcessCost;
}

/** The launcher's flags, as the package build reads them. */
export function launcherFlags(root: string): string[] {
  return (JSON.parse(readFileSync(join(root, "packaging", "node-flags.json"), "utf8")) as { flags: string[] }).flags;
}

/**
 * The choices to compare: no flags, the launcher's flags, and any `others` (sets of flags to try),
 * on this machine's Node and, with `packageRoot` (a .deb unpacked with dpkg-deb -x), the package's.
 */
export function processChoices(root: string, packageRoot?: string, others: string[][] = []): ProcessChoice[] {
  const flags = launcherFlags(root);
  const label = (flagsUsed: string[]) => (flagsUsed.length > 0 ? flagsUsed.join(" ") : "no flags");
  const sets = [[], flags, ...others];
  const choices: ProcessChoice[] = sets.map((set) => ({ label: `Node ${process.version} (this machine), ${label(set)}`, launch: { nodeFlags: set } }));
  if (packageRoot) {
    const lib = join(packageRoot, "usr", "lib", "songnodes-watchdog");
    const node = join(lib, "node", "bin", "node");
    if (!existsSync(node)) throw new Error(`${packageRoot} holds no unpacked package (${node} is missing)`);
    const cli = join(lib, "app", "dist", "src", "cli.js");
    for (const set of sets) {
      choices.push({ label: `the package's Node, ${label(set)}${set === flags ? " (its launcher)" : ""}`, launch: { node, cli, nodeFlags: set } });
    }
  }
  return choices;
}

/** Measure each choice at `pods` in turn. */
export async function measureProcessChoices(root: string, choices: ProcessChoice[], pods: number, progress?: (line: string) => void): Promise<ProcessChoice[]> {
  for (const choice of choices) {
    const [cost] = await measureRealDaemon({ root, counts: [pods], launch: choice.launch, progress: (line) => progress?.(`${choice.label}: ${line}`) });
    choice.cost = cost;
  }
  return choices;
}

/** The before/after table. */
export function formatProcessChoices(choices: ProcessChoice[], pods: number): string {
  const width = Math.max(...choices.map((c) => c.label.length), 20);
  const columns: [string, (c: ProcessCost) => string][] = [
    ["peak RSS", (c) => `${c.peakRssMB?.toFixed(0)} MB`],
    ["RSS at end", (c) => `${c.rssMB?.toFixed(0)} MB`],
    ["READY=1", (c) => `${((c.readyMs ?? 0) / 1000).toFixed(2)} s`],
    ["start CPU", (c) => `${c.startupCpuMs?.toFixed(0)} ms`],
    ["idle CPU", (c) => `${c.cpuPercentOfCore?.toFixed(2)}%`],
    ["CPU/iteration", (c) => `${c.cpuPerIterationMs?.toFixed(1)} ms`],
    ["eval (daemon)", (c) => `${c.decideMsMedian?.toFixed(2)} ms`],
    ["iteration", (c) => `${c.iterationMsMedian?.toFixed(1)} ms`],
  ];
  const head = ["how the daemon is started".padEnd(width), ...columns.map(([name]) => name.padStart(13))].join(" ");
  const lines = [`Process choice: the real daemon at ${pods.toLocaleString("en")} pods, idle window (same run as the cost table)`, head, "-".repeat(head.length)];
  for (const choice of choices) {
    const cost = choice.cost;
    if (!cost || cost.error) {
      lines.push(`${choice.label.padEnd(width)} failed: ${cost?.error?.split("\n")[0] ?? "not measured"}`);
      continue;
    }
    lines.push([choice.label.padEnd(width), ...columns.map(([, value]) => value(cost).padStart(13))].join(" "));
  }
  lines.push(["target".padEnd(width), "< 100 MB".padStart(13), "".padStart(13), "< 1.5 s".padStart(13), "".padStart(13), "< 0.5%".padStart(13), "".padStart(13), "< 50 ms".padStart(13)].join(" "));
  return lines.join("\n");
}
