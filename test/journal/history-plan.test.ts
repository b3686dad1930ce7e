// History must not read the whole journal: on a 64 MiB journal, sorting every table on each call
// took 439 ms of the daemon's thread. SQLite's own plan for the statement shows each branch walking
// an index (SEARCH … INDEX), never scanning a table whole, however the filter is set.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { HISTORY_SQL } from "../../src/journal/history.js";

describe("the history statement's plan", () => {
  const path = join(mkdtempSync(join(tmpdir(), "swd-plan-")), "journal.sqlite");
  openJournal(path).close();
  const db = new Database(path, { readonly: true });

  it.each([
    ["no filter", { kind: null, since: -1e15, until: 1e15, limit: 1000 }],
    ["kind and since", { kind: "action", since: 1_700_000_000_000, until: 1e15, limit: 1000 }],
    ["a page ending at a time", { kind: null, since: -1e15, until: 1_700_000_000_000, limit: 100 }],
  ])("with %s, every table is searched through an index, none scanned whole", (_what, params) => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${HISTORY_SQL}`).all(params) as { detail: string }[]).map((row) => row.detail);
    const tables = ["boots", "phase_transitions", "observation_changes", "actions", "pauses", "notes"];
    const touching = plan.filter((line) => tables.some((table) => new RegExp(`\\b${table}\\b`).test(line)));
    expect(touching.length).toBeGreaterThanOrEqual(8);
    for (const line of touching) expect(line).toMatch(/^SEARCH \w+ USING (COVERING )?INDEX /);
    expect(plan.filter((line) => /^SCAN (boots|phase_transitions|observation_changes|actions|pauses|notes)\b/.test(line))).toEqual([]);
  });
});
