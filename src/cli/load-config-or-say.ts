// The config as a command that probes or prints needs it: loaded, or the reason on stderr with exit
// 78 (EX_CONFIG), as the daemon itself would refuse it.
import { ConfigError, loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { EXIT_CONFIG } from "./exit-codes.js";
import { say } from "./format/wrap-block.js";

/** Load `path` (the default file when absent); null, with the message said, when it is invalid. */
export function loadConfigOrSay(path: string | undefined): Config | null {
  try {
    return loadConfig(path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(process.stderr, `invalid configuration: ${error.message}`);
    process.exitCode = EXIT_CONFIG;
    return null;
  }
}
