// Run by the package's postinst with the bundled Node: prints the status group the config names
// (nothing for root), so postinst can create it. The daemon's own loader reads the file, so the
// defaults and the checks are the daemon's. A config it cannot read is reported, not fatal: the
// unit will refuse it with exit 78 and the same message.
import { loadConfig } from "./app/dist/src/config/load.js";

try {
  const group = loadConfig(process.argv[2]).status.group;
  if (group !== "root" && group !== "0") console.log(group);
} catch (error) {
  console.error(`songnodes-watchdog: ${error instanceof Error ? error.message : String(error)}`);
}
