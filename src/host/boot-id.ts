// The kernel's boot id: a random UUID made at every boot. The journal keys boots by it, so a daemon
// restart within one boot is told apart from a reboot (and each boot gets its time to recovery).
import { readFileSync } from "node:fs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Thrown when the boot id cannot be read; the message names the file and the cause. */
export class BootIdError extends Error {
  override name = "BootIdError";
}

/** Reads this boot's id (lower-case UUID) from procfs, or from `path` in tests. */
export function readBootId(path = "/proc/sys/kernel/random/boot_id"): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new BootIdError(`cannot read the boot id from ${path} (${code}): is /proc mounted? this daemon needs Linux`, {
      cause: error,
    });
  }
  const id = text.trim().toLowerCase();
  if (!UUID.test(id)) throw new BootIdError(`${path} does not hold a boot id (a UUID): ${JSON.stringify(text.slice(0, 80))}`);
  return id;
}
