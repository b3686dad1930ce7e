// Where the sockets live: systemd's RuntimeDirectory= (it sets $RUNTIME_DIRECTORY), else /run.
import { join } from "node:path";

export const DEFAULT_RUNTIME_DIR = "/run/songnodes-watchdog";
export const STATUS_SOCKET_NAME = "status.sock";
export const CONTROL_SOCKET_NAME = "control.sock";

/** The runtime directory: `$RUNTIME_DIRECTORY` (first entry when systemd lists several), else the default. */
export function runtimeDirFrom(env: NodeJS.ProcessEnv): string {
  const first = (env.RUNTIME_DIRECTORY ?? "").split(":")[0]?.trim();
  return first ? first : DEFAULT_RUNTIME_DIR;
}

/** The read-only socket's path in `runtimeDir`. */
export function statusSocketPath(runtimeDir: string): string {
  return join(runtimeDir, STATUS_SOCKET_NAME);
}

/** The root-only socket's path in `runtimeDir`. */
export function controlSocketPath(runtimeDir: string): string {
  return join(runtimeDir, CONTROL_SOCKET_NAME);
}

/**
 * A unix socket's path fits in `sun_path`: 108 bytes with its terminating NUL. Node 20 cuts a
 * longer path silently (binding or asking a different, shorter path), Node 24 refuses it with
 * EINVAL; both are told the same clear sentence instead.
 */
export const MAX_SOCKET_PATH_BYTES = 107;

/** Why `path` cannot be a unix socket's path, or null when it can. */
export function socketPathProblem(path: string): string | null {
  const bytes = Buffer.byteLength(path);
  if (bytes <= MAX_SOCKET_PATH_BYTES) return null;
  return `the path is ${bytes} bytes, longer than the ${MAX_SOCKET_PATH_BYTES} a unix socket's path can be`;
}
