// `songnodes-watchdog simulate`: the daemon's real loop against the simulated SongNodes node on a
// virtual clock. `--list` shows the catalog; `--scenario NAME|FILE` runs one and prints its
// timeline and verdict (or a JSON report with --json). Exit 0 only when every expectation holds.
import type { Command } from "commander";
import { catalogNames, loadScenario, ScenarioError } from "../sim/scenario/load.js";
import { createTimelinePrinter, formatHeader, formatVerdict } from "../sim/scenario/timeline.js";
import { wantsColour } from "./format/colour.js";
import { wrap } from "./format/wrap.js";
import { say } from "./format/wrap-block.js";
import { EXIT_OK, EXIT_SOFTWARE, EXIT_UNHEALTHY, EXIT_USAGE } from "./exit-codes.js";

interface SimulateOptions {
  list?: boolean;
  scenario?: string;
  json?: boolean;
  serve?: boolean;
  out?: string;
  speed?: string;
  seed?: string;
  startAt?: string;
  fault?: string[];
  pods?: string;
  verbose?: boolean;
}

/** Register `simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("run the daemon against the simulated SongNodes node on a virtual clock")
    .option("--list", "list the scenario catalog")
    .option("--scenario <name|file>", "run one scenario (a catalog name or a YAML file)")
    .option("--json", "print a machine-readable report")
    .option("-v, --verbose", "with --scenario: every event, unit transitions unfolded, the daemon's phase on each line")
    .option("--serve", "serve the node in real time for the real daemon (docs/simulator-serve.md)")
    .option("--out <dir>", "with --serve: where sockets, kubeconfig.yaml and watchdog.yaml go")
    .option("--speed <n>", "with --serve: node time runs n× the wall clock", "1")
    .option("--seed <n>", "with --serve: the model's random seed", "1")
    .option("--start-at <time>", "with --serve: node time at the start, e.g. 2025-11-14T10:45:00Z (default: now)")
    .option("--pods <n>", "with --serve: add filler pods (Running, Ready) so the namespace holds about n (benchmarks)")
    .option("--fault <fault>", "with --serve: inject NAME or NAME:key=value,... at start (repeatable)", (value: string, all: string[] = []) => [...all, value])
    .action(async (options: SimulateOptions) => {
      if (options.serve) {
        // Loaded only to serve or run: the simulated API and the daemon's loop take over a second.
        const { runServe } = await import("../sim/serve/run-serve.js");
        process.exitCode = options.out ? await runServe({ ...options, out: options.out }) : (process.stderr.write("simulate --serve: give --out DIR\n"), EXIT_USAGE);
        return;
      }
      process.exitCode = await simulate(options);
    });
}

async function simulate(options: SimulateOptions): Promise<number> {
  // `simulate … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT_OK);
  });
  try {
    if (options.list) return list(options.json === true);
    if (!options.scenario) {
      process.stderr.write("simulate: give --list or --scenario NAME|FILE\n");
      return EXIT_USAGE;
    }
    const scenario = loadScenario(options.scenario);
    const colour = !options.json && wantsColour(process.stdout, process.env);
    const verbose = options.verbose === true;
    if (!options.json) process.stdout.write(`${formatHeader({ ...scenario, durationMs: scenario.duration }, colour, verbose)}\n`);
    const printer = createTimelinePrinter((text) => process.stdout.write(text), colour, verbose);
    const { runScenario } = await import("../sim/scenario/runner.js");
    const report = await runScenario(scenario, options.json ? undefined : (entry) => printer.entry(entry));
    printer.end();
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatVerdict(report, colour)}\n`);
    return report.passed ? EXIT_OK : EXIT_UNHEALTHY;
  } catch (error) {
    if (error instanceof ScenarioError) {
      say(process.stderr, `simulate: ${error.message}`);
      return EXIT_USAGE;
    }
    process.stderr.write(`simulate: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_SOFTWARE;
  }
}

function list(json: boolean): number {
  const scenarios = catalogNames().map((name) => loadScenario(name));
  if (json) {
    process.stdout.write(`${JSON.stringify(scenarios.map(({ name, description, runbook, duration }) => ({ name, description, runbook, durationMs: duration })), null, 2)}\n`);
    return EXIT_OK;
  }
  const width = Math.max(...scenarios.map((s) => s.name.length));
  for (const s of scenarios) process.stdout.write(`${wrap(`${s.name.padEnd(width)}  ${s.runbook}`, " ".repeat(width + 2)).join("\n")}\n`);
  return EXIT_OK;
}
