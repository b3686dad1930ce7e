// Real journal files in a fresh temp dir per test, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJournal } from "../../src/journal/index.js";
import type { Journal } from "../../src/journal/index.js";

/** A temp dir and the journals opened in it; `cleanup()` closes them and removes the dir. */
export function tempJournals() {
  const dir = mkdtempSync(join(tmpdir(), "songnodes-journal-"));
  const open: Journal[] = [];
  const path = join(dir, "journal.sqlite");
  return {
    dir,
    path,
    open(at = path, now = 0): Journal {
      const journal = openJournal(at, { now: () => now });
      open.push(journal);
      return journal;
    },
    cleanup() {
      for (const journal of open) journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** 2024-05-01T08:00:00Z, a fixed morning for readable tests. */
export const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
