// A long history answer is read a page at a time (each page one short turn of the event loop); the
// pages must join into exactly the answer one query would give, even when many lines share a
// millisecond across a page boundary.
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import type { HistoryFilter } from "../../src/journal/types.js";
import { HISTORY_PAGE, historyAnswerText } from "../../src/status/history-pages.js";
import { createQueryQueue } from "../../src/status/query-queue.js";
import { jsonText } from "../../src/status/responses.js";
import type { StatusSource } from "../../src/status/source.js";

function sourceOver(journal: ReturnType<typeof openJournal>, asked: HistoryFilter[]): StatusSource {
  const unused = () => {
    throw new Error("not used");
  };
  return { snapshot: unused, pause: unused, resume: unused, checkNow: unused, boots: unused, history: (filter) => (asked.push(filter), journal.history(filter)) };
}

describe("history read in pages", () => {
  const journal = openJournal(":memory:", { now: () => 0 });
  const t0 = Date.parse("2026-12-01T04:00:00Z");
  journal.recordBoot("boot-1", t0);
  // 250 notes in one millisecond, straddling pages, then one line per millisecond.
  for (let i = 0; i < 250; i++) journal.recordNote("info", `same-${i}`, `note ${i}`, t0 + 10);
  for (let i = 0; i < 400; i++) journal.recordObservation("pods", i % 2 ? "bad" : "ok", `reading ${i}`, t0 + 20 + i);
  for (let i = 0; i < 30; i++) journal.recordPhase("healthy", "recovering", t0 + 20 + i * 7, `why ${i}`);

  it.each([[1000], [650], [333], [100], [1]])("limit %i gives the very lines, in the very order and text, one query gives", async (limit) => {
    const asked: HistoryFilter[] = [];
    const text = await historyAnswerText(sourceOver(journal, asked), { limit }, createQueryQueue(16));
    expect(text).toBe(jsonText({ entries: journal.history({ limit }) }));
    expect(asked.length).toBeGreaterThanOrEqual(Math.ceil(Math.min(limit, 681) / HISTORY_PAGE));
    expect(asked.every((filter) => (filter.limit ?? 0) <= HISTORY_PAGE + 250)).toBe(true);
  });

  it("filters by kind and since carry through every page", async () => {
    const filter = { limit: 300, kind: "note" as const, since: t0 + 5 };
    const text = await historyAnswerText(sourceOver(journal, []), filter, createQueryQueue(16));
    expect(text).toBe(jsonText({ entries: journal.history(filter) }));
    expect(JSON.parse(text).entries).toHaveLength(250);
  });

  it("an empty history is an empty list", async () => {
    const text = await historyAnswerText(sourceOver(journal, []), { limit: 50, since: t0 + 10_000 }, createQueryQueue(16));
    expect(text).toBe(jsonText({ entries: [] }));
  });
});
