// Where the build keeps what is slow to make (the Node runtime download, better-sqlite3 compiled
// for it, built packages): SONGNODES_PACKAGE_CACHE, else $XDG_CACHE_HOME or ~/.cache. Each entry is
// made in a temporary directory and renamed into place when complete, so a broken one is never used.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The cache directory (created). */
export function cacheDir() {
  const base = process.env.SONGNODES_PACKAGE_CACHE
    ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "songnodes-watchdog-packaging");
  mkdirSync(base, { recursive: true });
  return base;
}

/** A short hash of the given strings or buffers, for cache keys. */
export function hashOf(...parts) {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** The entry at `path`, made by `make(tempDir)` when it is missing. */
export async function cached(path, make) {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  for (const name of readdirSync(dirname(path))) {
    // Leftovers of an interrupted build of the same entry.
    if (name.startsWith(`${path.slice(dirname(path).length + 1)}.tmp-`)) rmSync(join(dirname(path), name), { recursive: true, force: true });
  }
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await make(temp);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return path;
}
