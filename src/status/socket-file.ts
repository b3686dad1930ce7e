// Socket files: a stale one left by a crash is replaced; a live one (another daemon answers) is not.
// The runtime directory must be the daemon's alone: a symlinked, foreign or group/world-writable one
// would let a local user swap a socket for a link (and have root chown what it points to), or plant a
// control.sock that captures root's pause. Modes are set at bind time (umask) and the owner with
// lchown, so nothing here ever follows a link.
import { connect } from "node:net";
import { lchownSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";

/** Another process answers on the socket: starting a second daemon would steal its clients. */
export class SocketInUseError extends Error {
  override name = "SocketInUseError";
}

/** The runtime directory is a symlink, not the daemon's, or writable by others: it is not used. */
export class UnsafeRuntimeDirError extends Error {
  override name = "UnsafeRuntimeDirError";
}

/**
 * Create the runtime directory (0755, traversable so a status-group member can reach status.sock),
 * or check the one that is there: not a symlink, owned by the daemon's user (root), and writable by
 * that user alone. Throws UnsafeRuntimeDirError otherwise.
 */
export function ensureRuntimeDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = lstatSync(dir);
  const owner = process.getuid?.() ?? 0;
  const mode = (stat.mode & 0o7777).toString(8).padStart(4, "0");
  if (stat.isSymbolicLink()) throw new UnsafeRuntimeDirError(`runtime directory ${dir} is a symlink; refusing to follow it`);
  if (!stat.isDirectory()) throw new UnsafeRuntimeDirError(`runtime directory ${dir} is not a directory`);
  if (stat.uid !== owner) throw new UnsafeRuntimeDirError(`runtime directory ${dir} is owned by uid ${stat.uid}, not ${owner === 0 ? "root" : `uid ${owner}`}`);
  if ((stat.mode & 0o022) !== 0) throw new UnsafeRuntimeDirError(`runtime directory ${dir} is writable by ${stat.mode & 0o002 ? "others" : "its group"} (mode ${mode})`);
}

/** Try to connect: "refused" when nothing listens, "answered" when something does. */
function probeSocket(path: string, timeoutMs: number): Promise<"refused" | "answered" | "gone"> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      // A listener that accepts nothing within the timeout is still a listener: refuse to steal it.
      resolve("answered");
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve("answered");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === "ENOENT" ? "gone" : "refused");
    });
  });
}

/**
 * Make `path` free for a new socket: nothing there is fine; a stale socket (connect refused) is
 * unlinked; a live one throws SocketInUseError; anything that is not a socket is left alone and throws.
 */
export async function clearStaleSocket(path: string, timeoutMs = 1000): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (!isSocket) throw new Error(`${path} exists and is not a socket; remove it by hand`);
  const result = await probeSocket(path, timeoutMs);
  if (result === "answered") {
    throw new SocketInUseError(`another songnodes-watchdog is already answering on ${path}; stop it first`);
  }
  if (result === "refused") unlinkSync(path);
}

/**
 * Check the freshly bound socket (a socket, ours, with the mode the bind-time umask gave it) and set
 * its group with lchown, which never follows a link.
 */
export function secureSocket(path: string, mode: number, gid: number | null): void {
  const stat = lstatSync(path);
  const owner = process.getuid?.() ?? 0;
  if (!stat.isSocket() || stat.uid !== owner) throw new UnsafeRuntimeDirError(`${path} is not the socket just bound (replaced while binding?)`);
  if ((stat.mode & 0o777) !== mode) throw new UnsafeRuntimeDirError(`${path} has mode ${(stat.mode & 0o777).toString(8)}, expected ${mode.toString(8)}`);
  if (gid !== null) lchownSync(path, owner, gid);
}

/** Remove a socket file if it is there (on a clean stop). */
export function removeSocket(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean up.
  }
}
