// Start-up's look at the journal file, on real files: a good journal passes quick_check, random bytes
// (a whole file, or pages in the middle of a real journal) are found, a directory in its place is
// moved aside, and the periodic check gives the same verdicts from its worker thread.
import { randomFillSync } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { openJournalOrRecover, quickCheckFile, quickCheckFileOffThread } from "../../src/journal/open-or-recover.js";

const clock = { now: () => Date.parse("2026-12-01T04:00:00Z") };

function goodJournal(): string {
  const path = join(mkdtempSync(join(tmpdir(), "swd-recover-")), "journal.sqlite");
  const journal = openJournal(path, clock);
  journal.recordBoot("boot-1", clock.now());
  for (let i = 0; i < 2000; i++) journal.recordNote("info", `k${i}`, "x".repeat(200), clock.now() + i);
  journal.close();
  return path;
}

function damage(path: string): void {
  expect(statSync(path).size).toBeGreaterThan(20 * 4096);
  const fd = openSync(path, "r+");
  writeSync(fd, randomFillSync(Buffer.alloc(8 * 4096)), 0, 8 * 4096, 10 * 4096);
  closeSync(fd);
}

describe("the journal file at start-up", () => {
  it("a good journal passes quick_check, on the daemon's thread and on a worker", async () => {
    const path = goodJournal();
    expect(quickCheckFile(path)).toEqual({ verdict: "ok" });
    expect(await quickCheckFileOffThread(path)).toEqual({ verdict: "ok" });
    const opened = openJournalOrRecover(path, clock);
    expect(opened).toMatchObject({ fresh: false, movedAside: null, inMemory: false, trouble: null });
    opened.journal.close();
  });

  it("random bytes over pages in the middle are found, on both threads, and the file is moved aside", async () => {
    const path = goodJournal();
    damage(path);
    expect(quickCheckFile(path).verdict).toBe("corrupt");
    expect((await quickCheckFileOffThread(path)).verdict).toBe("corrupt");
    const opened = openJournalOrRecover(path, clock);
    expect(opened.fresh).toBe(true);
    expect(opened.movedAside).toBe(`${path}.corrupt-2026-12-01T04-00-00-000Z`);
    expect(opened.trouble).toMatch(/is corrupt \(.*\); moved aside to .*\.corrupt-2026-12-01T04-00-00-000Z, a fresh journal started$/);
    expect(opened.journal.boots(5)).toEqual([]);
    opened.journal.close();
  });

  it("a file of random bytes is not a database: corrupt, moved aside", () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-recover-"));
    const path = join(dir, "journal.sqlite");
    writeFileSync(path, randomFillSync(Buffer.alloc(32 * 1024)));
    expect(quickCheckFile(path).verdict).toBe("corrupt");
    const opened = openJournalOrRecover(path, clock);
    expect(readdirSync(dir)).toContain("journal.sqlite.corrupt-2026-12-01T04-00-00-000Z");
    expect(opened.inMemory).toBe(false);
    opened.journal.close();
  });

  it("a state directory that cannot hold a file gives an in-memory journal that says so", () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-recover-"));
    writeFileSync(join(dir, "state"), "a file where the state directory should be");
    const opened = openJournalOrRecover(join(dir, "state", "journal.sqlite"), clock);
    expect(opened.inMemory).toBe(true);
    expect(opened.fresh).toBe(true);
    expect(opened.trouble).toMatch(/cannot be opened: .*; keeping this run's journal in memory \(lost when the daemon stops\)$/);
    opened.journal.close();
  });

  it("a directory in the journal's place is moved aside", () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-recover-"));
    mkdirSync(join(dir, "journal.sqlite"));
    const opened = openJournalOrRecover(join(dir, "journal.sqlite"), clock);
    expect(opened.trouble).toMatch(/is not a regular file; moved aside to /);
    expect(statSync(join(dir, "journal.sqlite.corrupt-2026-12-01T04-00-00-000Z")).isDirectory()).toBe(true);
    expect(statSync(join(dir, "journal.sqlite")).isFile()).toBe(true);
    opened.journal.close();
  });
});
