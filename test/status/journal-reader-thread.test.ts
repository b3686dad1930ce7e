// History and boots are read on a thread of their own with a read-only connection to the journal
// file, so no reader can hold up the loop: the answers are the journal's own, the loop's connection
// is never asked, a full queue says busy, an overdue query is cut off, and a missing file is said.
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { readsOffThread } from "../../src/status/journal-reader-thread.js";
import { HttpError, jsonText } from "../../src/status/responses.js";
import { startStatusServer } from "../../src/status/server.js";
import type { StatusSource } from "../../src/status/source.js";
import { createMemoryLogger } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "snw-reader-"));
const path = join(dir, "journal.sqlite");
const journal = openJournal(path, { now: () => 0 });
const t0 = Date.parse("2026-12-01T04:00:00Z");
journal.recordBoot("boot-1", t0);
journal.markBootHealthy("boot-1", t0 + 90_000);
journal.recordBoot("boot-2", t0 + 86_400_000);
for (let i = 0; i < 1200; i++) journal.recordObservation("pods", i % 2 ? "bad" : "ok", `reading ${i}`, t0 + 1_000 + i);
for (let i = 0; i < 40; i++) journal.recordNote("warning", `note-${i}`, `note ${i}`, t0 + 1_000 + i * 3);
const text = (bytes: string | Uint8Array) => (typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"));
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as HttpError);

afterAll(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("journal reads on their own thread", () => {
  it.each([
    [{ limit: 1000 }],
    [{ limit: 7, kind: "note" as const }],
    [{ limit: 50, since: t0 + 1_100, until: t0 + 1_150 }],
  ])("history %j is the very text the journal's own query gives", async (filter) => {
    const reads = readsOffThread({ path, logger: createMemoryLogger(), maxQueued: 4 });
    try {
      expect(text(await reads.historyText(filter))).toBe(jsonText({ entries: journal.history(filter) }));
      expect(text(await reads.bootsText(1))).toBe(jsonText({ boots: journal.boots(1) }));
      expect(reads.threadsStarted()).toBe(1);
    } finally {
      await reads.close();
    }
  });

  it("sees what the loop writes after the thread opened the journal", async () => {
    const reads = readsOffThread({ path, logger: createMemoryLogger(), maxQueued: 4 });
    try {
      await reads.historyText({ limit: 1 });
      journal.recordNote("info", "written-later", "written by the loop after the reader opened", t0 + 2 * 86_400_000);
      expect(JSON.parse(text(await reads.historyText({ limit: 1 }))).entries[0].summary).toBe("info: written by the loop after the reader opened");
    } finally {
      await reads.close();
    }
  });

  it("answers busy (503, Retry-After) beyond its queue, and still answers the ones it took", async () => {
    const reads = readsOffThread({ path, logger: createMemoryLogger(), maxQueued: 3 });
    try {
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => reads.historyText({ limit: 1000 }).then(() => 200, (error: HttpError) => error)));
      expect(outcomes.slice(0, 3)).toEqual([200, 200, 200]);
      for (const refused of outcomes.slice(3)) {
        expect(refused).toBeInstanceOf(HttpError);
        expect((refused as HttpError).status).toBe(503);
        expect((refused as HttpError).headers["retry-after"]).toBe("1");
      }
    } finally {
      await reads.close();
    }
  });

  it("cuts off a query past its deadline with 503, stops that thread and starts a fresh one for the next", async () => {
    const logger = createMemoryLogger();
    // A deadline shorter than any thread's start-up: the first question is overdue for certain.
    const reads = readsOffThread({ path, logger, maxQueued: 4, deadlineMs: 1 });
    try {
      const overdue = await refusal(reads.historyText({ limit: 1000 }));
      expect(overdue?.status).toBe(503);
      expect(overdue?.message).toMatch(/took too long/);
      expect(logger.lines.some((line) => line.level === "warn" && /longer than 1 ms/.test(line.message))).toBe(true);
      await refusal(reads.bootsText(1));
      expect(reads.threadsStarted()).toBe(2);
    } finally {
      await reads.close();
    }
  });

  it("says why when the journal file cannot be read, and reads it once it is there", async () => {
    const later = join(dir, "later.sqlite");
    const reads = readsOffThread({ path: later, logger: createMemoryLogger(), maxQueued: 4 });
    try {
      const missing = await refusal(reads.historyText({ limit: 10 }));
      expect(missing?.status).toBe(500);
      expect(missing?.message).toBe("cannot read the journal");
      expect(String(missing?.detail)).toMatch(/later\.sqlite|unable to open|does not exist/i);
      const created = openJournal(later, { now: () => 0 });
      created.recordNote("info", "k", "now it exists", t0);
      expect(JSON.parse(text(await reads.historyText({ limit: 10 }))).entries).toHaveLength(1);
      created.close();
    } finally {
      await reads.close();
    }
  });

  it("refuses what waits when the sockets close", async () => {
    const reads = readsOffThread({ path, logger: createMemoryLogger(), maxQueued: 4 });
    const asked = [reads.historyText({ limit: 1000 }), reads.historyText({ limit: 1000 })].map(refusal);
    await reads.close();
    for (const outcome of await Promise.all(asked)) expect(outcome?.status).toBe(503);
    expect((await refusal(reads.bootsText(1)))?.status).toBe(503);
  });
});

describe("the status socket with a journal file", () => {
  it("answers /v1/history and /v1/boots from the reader's thread, never through the loop's connection", async () => {
    const never = () => {
      throw new Error("the loop's journal connection was asked for history on the loop's thread");
    };
    const source = { snapshot: never, pause: never, resume: never, checkNow: never, history: never, boots: never } as unknown as StatusSource;
    const server = await startStatusServer({ runtimeDir: join(dir, "run"), group: "root", source, journalPath: path, logger: createMemoryLogger() });
    try {
      const get = (target: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
        request({ socketPath: server.statusPath, path: target }, (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk) => (body += chunk)).on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        }).on("error", reject).end();
      });
      expect(await get("/v1/history?limit=1000")).toEqual({ status: 200, body: jsonText({ entries: journal.history({ limit: 1000 }) }) });
      expect(await get("/v1/boots?limit=5")).toEqual({ status: 200, body: jsonText({ boots: journal.boots(5) }) });
    } finally {
      await server.close();
    }
  });
});
