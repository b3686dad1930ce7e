// The decision core's memory across daemon restarts: the ladder position and its verification
// deadline, gave-up with its cooldown, the announced keys, the per-pod hold-off clocks and the
// flapping count (docs/journal.md, "what survives a restart"). One row, rewritten when it changes.
import type Database from "better-sqlite3";
import type { CoreMemoryRecord } from "./types.js";

interface MemoryRow {
  boot_id: string;
  anchor: number;
  saved_at: number;
  state: string;
}

/** Queries on the core_memory table. */
export function createCoreMemoryQueries(db: Database.Database) {
  const upsert = db.prepare(`
    INSERT INTO core_memory (id, boot_id, anchor, saved_at, state) VALUES (1, @bootId, @anchor, @savedAt, @state)
    ON CONFLICT (id) DO UPDATE SET boot_id = excluded.boot_id, anchor = excluded.anchor, saved_at = excluded.saved_at, state = excluded.state`);
  const read = db.prepare("SELECT boot_id, anchor, saved_at, state FROM core_memory WHERE id = 1");
  return {
    /** Replaces the stored memory. `state` is the core's persisted part, as JSON. */
    saveCoreMemory(record: CoreMemoryRecord): void {
      upsert.run({ bootId: record.bootId, anchor: Math.round(record.anchor), savedAt: Math.round(record.savedAt), state: JSON.stringify(record.state) });
    },
    /** The stored memory, or null when none was saved (or it cannot be read: start fresh, say so). */
    loadCoreMemory(): { record: CoreMemoryRecord | null; problem: string | null } {
      const row = read.get() as MemoryRow | undefined;
      if (row === undefined) return { record: null, problem: null };
      try {
        return { record: { bootId: row.boot_id, anchor: row.anchor, savedAt: row.saved_at, state: JSON.parse(row.state) as unknown }, problem: null };
      } catch (error) {
        return { record: null, problem: `the stored core memory is not JSON (${(error as Error).message}): starting fresh` };
      }
    },
  };
}
