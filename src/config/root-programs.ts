// The programs the config names and the daemon runs as root. Checked once at start-up (an unsafe one
// refuses the config, exit 78) and again by each caller just before it runs one, since a file can be
// swapped after start-up. The notification command channel's program is checked the same way by its
// own schema and again before each delivery (src/notifications/command-trust.ts); maintenance runs
// no program on the host (its backup check runs in the postgres pod, through the API).
import { untrustedProgramReason } from "../exec/trusted-program.js";
import type { Config } from "./schema.js";

/** A program the daemon runs as root, with the config key that names it. */
export interface RootProgram {
  key: string;
  path: string;
}

/** Every program in `config` that the daemon runs as root. */
export function rootPrograms(config: Config): RootProgram[] {
  return [
    { key: "k3s.killall", path: config.k3s.killall },
    { key: "k3s.journalctl", path: config.k3s.journalctl },
  ];
}

/**
 * `refused`: programs that must not run (relative, or changeable by someone other than root): the
 * daemon does not start. `missing`: absent for now; each run is refused until a safe one is installed.
 */
export function checkRootPrograms(config: Config): { refused: string[]; missing: string[] } {
  const refused: string[] = [];
  const missing: string[] = [];
  for (const { key, path } of rootPrograms(config)) {
    const reason = untrustedProgramReason(path);
    if (reason === null) continue;
    if (reason === `${path} does not exist`) missing.push(`${key}: ${reason}; running it will be refused until it is installed`);
    else refused.push(`${key}: refusing to run ${path} as root: ${reason}`);
  }
  return { refused, missing };
}
