#!/usr/bin/env node
// The songnodes-watchdog command line. Each subcommand lives in src/cli/<name>.ts; only the
// entry points choose exit codes (see src/cli/exit-codes.ts).
import { Command, CommanderError } from "commander";
import { registerRun } from "./cli/run.js";
import { registerCheck } from "./cli/check.js";
import { registerStatusCommands } from "./cli/status-commands.js";
import { registerSimulate } from "./cli/simulate.js";
import { registerNotifyTest } from "./cli/notify-test.js";
import { registerAudit } from "./cli/audit.js";
import { registerConfig } from "./cli/config.js";
import { registerMaintenanceCommands } from "./cli/maintenance-commands.js";
import { EXIT_OK, EXIT_USAGE } from "./cli/exit-codes.js";
import { wrapBlock } from "./cli/format/wrap-block.js";
import { VERSION } from "./version.js";

const program = new Command("songnodes-watchdog")
  .description("Makes a single-node K3s server running SongNodes recover by itself.")
  .version(VERSION)
  .showHelpAfterError()
  // commander's own messages ("argument 'banana' is invalid. …") wrap at 80 columns too.
  .configureOutput({ outputError: (text, write) => write(wrapBlock(text)) })
  // Usage errors exit 64 (EX_USAGE), never 1: `check` uses 1 for "unhealthy".
  .exitOverride();

// One line per command group, in the order `--help` lists them.
registerRun(program);
registerCheck(program);
registerStatusCommands(program);
registerConfig(program);
registerSimulate(program);
registerNotifyTest(program);
registerMaintenanceCommands(program);
registerAudit(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // --help and --version end with exit code 0; every other commander error is bad usage.
  process.exitCode = error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
}
