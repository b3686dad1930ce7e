// Before the CLI sends anything (a pause, a resume), it makes sure the socket is the daemon's: the
// socket and the directory it lives in must be root's, the directory writable by root alone, and
// neither may be a symlink. Otherwise a local user who created /run/songnodes-watchdog first, or
// could write into it, could plant a control.sock that answers root's `pause` with a lie.
import { lstatSync } from "node:fs";
import { dirname } from "node:path";

/** Why `socketPath` is not to be trusted, or null. A missing path is left to connect() to report. */
export function untrustedSocketReason(socketPath: string): string | null {
  const dir = dirname(socketPath);
  try {
    const dirStat = lstatSync(dir);
    if (dirStat.isSymbolicLink()) return `its directory ${dir} is a symlink`;
    if (dirStat.uid !== 0) return `its directory ${dir} is owned by uid ${dirStat.uid}, not root`;
    if ((dirStat.mode & 0o022) !== 0) return `its directory ${dir} is writable by ${dirStat.mode & 0o002 ? "others" : "its group"} (mode ${(dirStat.mode & 0o7777).toString(8).padStart(4, "0")})`;
    const stat = lstatSync(socketPath);
    if (stat.isSymbolicLink()) return "it is a symlink";
    if (!stat.isSocket()) return "it is not a socket";
    if (stat.uid !== 0) return `it is owned by uid ${stat.uid}, not root`;
    return null;
  } catch {
    // ENOENT: not running; EACCES: the permission advice says what to do. connect() reports both.
    return null;
  }
}
