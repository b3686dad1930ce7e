// The real HostFilesystem: statfs(2) through node:fs, never a `df` child process.
import { statfs } from "node:fs/promises";
import type { HostFilesystem } from "./ports.js";

/** statfs of each path asked for; a path that cannot be read answers why. */
export function createHostFilesystem(): HostFilesystem {
  return {
    async usage(path) {
      try {
        const s = await statfs(path);
        return { totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, freeBytes: s.bfree * s.bsize };
      } catch (error) {
        return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
      }
    },
  };
}
