import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JournalOpenError, JournalVersionError, MIGRATIONS } from "../../src/journal/index.js";
import { T0, tempJournals } from "./temp-journal.js";

describe("journal migrations", () => {
  let temp: ReturnType<typeof tempJournals>;
  beforeEach(() => {
    temp = tempJournals();
  });
  afterEach(() => temp.cleanup());

  it("a new journal is created at the newest schema version, in WAL mode with incremental auto-vacuum", () => {
    temp.open(temp.path, T0).close();
    const db = new Database(temp.path, { readonly: true });
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("auto_vacuum", { simple: true })).toBe(2);
      const applied = db.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all();
      expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: T0 })));
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining(["actions", "boots", "notes", "observation_changes", "pauses", "phase_transitions"]),
      );
    } finally {
      db.close();
    }
  });

  it("re-opening keeps what was recorded and applies no migration twice", () => {
    const first = temp.open(temp.path, T0);
    first.recordBoot("boot-a", T0);
    first.recordPhase(null, "waiting-for-k3s", T0, "daemon started");
    first.close();
    const second = temp.open(temp.path, T0 + 1000);
    expect(second.boots(10).map((boot) => boot.bootId)).toEqual(["boot-a"]);
    expect(second.history({ kind: "phase" })).toHaveLength(1);
    second.close();
    const db = new Database(temp.path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM schema_migrations").pluck().get()).toBe(MIGRATIONS.length);
    db.close();
  });

  it("a journal written by a newer release is refused with the versions and what to do", () => {
    temp.open().close();
    const db = new Database(temp.path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => temp.open()).toThrow(JournalVersionError);
    expect(() => temp.open()).toThrow(
      new RegExp(`schema version ${MIGRATIONS.length + 1}.*up to ${MIGRATIONS.length}.*newer release`),
    );
  });

  it("a file that is not a SQLite database is refused with its path", () => {
    const path = join(temp.dir, "not-a-journal.sqlite");
    writeFileSync(path, "this is a text file, not a database ".repeat(200));
    expect(() => temp.open(path)).toThrow(JournalOpenError);
    expect(() => temp.open(path)).toThrow(/not-a-journal\.sqlite.*not a database/);
  });

  it("a missing state directory is created", () => {
    const journal = temp.open(join(temp.dir, "state", "nested", "journal.sqlite"));
    expect(journal.recordBoot("boot-a", T0)).toBe(true);
  });

  it("an in-memory journal works for the simulator", () => {
    const journal = temp.open(":memory:");
    journal.recordNote("info", "hello", "simulated node started", T0);
    expect(journal.history()).toHaveLength(1);
  });
});
