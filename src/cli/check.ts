// `songnodes-watchdog check`: every probe once, the daemon's judgement, no action.
// Exit 0 healthy, 1 unhealthy, 2 degraded, 3 could not tell (78 for a bad config, 64 for bad usage).
import type { Command } from "commander";
import { judge } from "../core/judge.js";
import { readProbes } from "../daemon/read-probes.js";
import { createLogger } from "../log/logger.js";
import { nodeVerdict, type OverallVerdict } from "../core/verdict.js";
import { loadConfigOrSay } from "./load-config-or-say.js";
import { EXIT_DEGRADED, EXIT_OK, EXIT_UNHEALTHY, EXIT_UNKNOWN } from "./exit-codes.js";
import { checkReportJson, formatCheckReport } from "./format/check-report.js";
import { wantsColour } from "./format/colour.js";

// The same verdict every view shows (src/core/verdict.ts), as a script reads it.
const VERDICT_EXIT: Record<OverallVerdict, number> = { healthy: EXIT_OK, degraded: EXIT_DEGRADED, unhealthy: EXIT_UNHEALTHY, unknown: EXIT_UNKNOWN };

/** Register `check`. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("look at the node once, without the daemon: every probe, the verdict; acts on nothing")
    .option("-c, --config <path>", "config file (default /etc/songnodes-watchdog/config.yaml)")
    .option("--json", "every probe, node and pod with its status, why, and the remedy the daemon would choose")
    .action(async (options: { config?: string; json?: boolean }) => {
      const config = loadConfigOrSay(options.config);
      if (config === null) return;
      const logger = createLogger({ level: "warn", journald: false, pretty: false });
      const clock = { now: () => Date.now() };
      // Loaded only when `check` runs: the real ports bring the Kubernetes client (over a second).
      const { buildRealPorts } = await import("../daemon/wiring.js");
      const ports = buildRealPorts(config, logger, clock);
      try {
        // Watch-based probes answer "not synced yet" until their first list: wait for it (bounded).
        await Promise.all(
          [ports.probes.nodes, ports.probes.pods].map(
            (probe) =>
              new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, config.timing.probeTimeout);
                probe.watch?.(() => {
                  clearTimeout(timer);
                  resolve();
                });
              }),
          ),
        );
        const readings = await readProbes(ports.probes, config.timing.probeTimeout);
        const judgement = judge(config, readings, clock.now());
        process.stdout.write(options.json ? `${JSON.stringify(checkReportJson(config, judgement), null, 2)}\n` : formatCheckReport(config, judgement, clock.now(), wantsColour(process.stdout, process.env)));
        process.exitCode = VERDICT_EXIT[nodeVerdict(judgement.observations).verdict];
      } finally {
        await ports.close();
      }
    });
}
