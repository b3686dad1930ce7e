// Socket files: a stale one left by a crash is replaced; a live one (another daemon answers) is not.
import { connect } from "node:net";
import { chmodSync, chownSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";

/** Another process answers on the socket: starting a second daemon would steal its clients. */
export class SocketInUseError extends Error {
  override name = "SocketInUseError";
}

/** Create the runtime directory (0755, traversable so a status-group member can reach status.sock). */
export function ensureRuntimeDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
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

/** Set the socket file's mode and group (owner root, or whoever runs the daemon). */
export function secureSocket(path: string, mode: number, gid: number | null): void {
  if (gid !== null) chownSync(path, process.getuid?.() ?? 0, gid);
  chmodSync(path, mode);
}

/** Remove a socket file if it is there (on a clean stop). */
export function removeSocket(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean up.
  }
}
