// `songnodes-watchdog run`: the daemon. (Being written: src/daemon/.)
import type { Command } from "commander";

/** Register `run`. */
export function registerRun(program: Command): void {
  program.command("run").description("run the watchdog daemon (systemd starts this)");
}
