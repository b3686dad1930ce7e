// `songnodes-watchdog run`: the daemon. (Being written: src/daemon/.)
import type { Command } from "commander";

/** Register `check`. */
export function registerCheck(program: Command): void {
  program.command("check").description("run every probe once and act on nothing");
}
