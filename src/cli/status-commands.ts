// status, history, boots, pause, resume: clients of the status and control sockets. (Being written.)
import type { Command } from "commander";

/** Register the socket client commands. */
export function registerStatusCommands(_program: Command): void {}
