// Announcements the core makes once (gave-up, human needed, image missing), kept for `history`.
import type Database from "better-sqlite3";
import type { NoteLevel } from "./types.js";

/** Queries on the notes table. */
export function createNoteQueries(db: Database.Database) {
  const insert = db.prepare("INSERT INTO notes (at, level, key, message) VALUES (?, ?, ?, ?)");
  return {
    /** Records one announcement. */
    recordNote(level: NoteLevel, key: string, message: string, at: number): void {
      insert.run(at, level, key, message);
    },
  };
}
