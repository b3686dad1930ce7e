// Is stdout connected to journald? systemd sets JOURNAL_STREAM=<device>:<inode> of the stream it
// gave the service. A child the service spawns inherits the variable even when its own stdout goes
// elsewhere (a pipe, a file), so sd-journal's advice is to compare it with stdout's actual identity.
import { fstatSync } from "node:fs";

/** True when `env.JOURNAL_STREAM` names the file descriptor `fd` (stdout by default). */
export function stdoutIsJournal(env: Record<string, string | undefined>, fd = 1): boolean {
  const match = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? "");
  if (match === null) return false;
  try {
    const stat = fstatSync(fd, { bigint: true });
    return stat.dev === BigInt(match[1] ?? "") && stat.ino === BigInt(match[2] ?? "");
  } catch {
    return false;
  }
}
