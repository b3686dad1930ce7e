// `songnodes-watchdog run`: the daemon (systemd starts this; see systemd/songnodes-watchdog.service).
import type { Command } from "commander";
import { runDaemon } from "../daemon/daemon.js";

/** Register `run`. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run the watchdog daemon (systemd starts this)")
    .option("-c, --config <path>", "config file (default /etc/songnodes-watchdog/config.yaml)")
    .option("--state-dir <dir>", "where the SQLite journal lives (default $STATE_DIRECTORY, else ./state)")
    .option("--runtime-dir <dir>", "where status.sock and control.sock live (default $RUNTIME_DIRECTORY, else /run/songnodes-watchdog)")
    .action(async (options: { config?: string; stateDir?: string; runtimeDir?: string }) => {
      process.exitCode = await runDaemon({ configPath: options.config, stateDir: options.stateDir, runtimeDir: options.runtimeDir, env: process.env });
    });
}
