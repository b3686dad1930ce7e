// `songnodes-watchdog run`: the daemon (systemd starts this; see systemd/songnodes-watchdog.service).
import { Option, type Command } from "commander";
import { configSource } from "./config.js";
import { say } from "./format/wrap-block.js";

/** Register `run`. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run the watchdog daemon (systemd starts this)")
    .option("-c, --config <path>", "config file (default /etc/songnodes-watchdog/config.yaml)")
    .option("--state-dir <dir>", "where the SQLite journal lives (default $STATE_DIRECTORY, else ./state)")
    .option("--runtime-dir <dir>", "where status.sock and control.sock live (default $RUNTIME_DIRECTORY, else /run/songnodes-watchdog)")
    .addOption(new Option("--log-format <format>", "log lines as readable text or JSON (default: journald's format under systemd, text on a terminal, JSON when piped)").choices(["text", "json"]))
    .action(async (options: { config?: string; stateDir?: string; runtimeDir?: string; logFormat?: "text" | "json" }) => {
      const source = configSource(options.config);
      if (source.note !== null) say(process.stderr, `${source.file}: ${source.note}`);
      // Loaded here, not at the top: the Kubernetes client and the rest of the daemon take a second
      // and a half to load, which every other command (status, pause, --help) need not wait for.
      const { runDaemon } = await import("../daemon/daemon.js");
      process.exitCode = await runDaemon({ configPath: options.config, stateDir: options.stateDir, runtimeDir: options.runtimeDir, env: process.env, ...(options.logFormat ? { logFormat: options.logFormat } : {}) });
    });
}
