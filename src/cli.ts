#!/usr/bin/env node
// The songnodes-watchdog command line. Each subcommand lives in src/cli/<name>.ts; only the
// entry points choose exit codes (see src/cli/exit-codes.ts).
import { Command } from "commander";
import { registerRun } from "./cli/run.js";
import { registerCheck } from "./cli/check.js";
import { registerStatusCommands } from "./cli/status-commands.js";
import { registerSimulate } from "./cli/simulate.js";
import { registerNotifyTest } from "./cli/notify-test.js";
import { registerAudit } from "./cli/audit.js";
import { VERSION } from "./version.js";

const program = new Command("songnodes-watchdog")
  .description("Makes a single-node K3s server running SongNodes recover by itself.")
  .version(VERSION)
  .showHelpAfterError();

registerRun(program);
registerCheck(program);
registerStatusCommands(program);
registerSimulate(program);
registerNotifyTest(program);
registerAudit(program);

await program.parseAsync(process.argv);
