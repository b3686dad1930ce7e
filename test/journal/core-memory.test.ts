// The core's memory and the actions' monotonic stamps: what a restarted daemon reads back.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Journal } from "../../src/journal/index.js";
import { HOUR, MINUTE, SECOND, T0, tempJournals } from "./temp-journal.js";

describe("the core's memory in the journal", () => {
  let temp: ReturnType<typeof tempJournals>;
  let journal: Journal;
  beforeEach(() => {
    temp = tempJournals();
    journal = temp.open();
    journal.recordBoot("boot-a", T0);
  });
  afterEach(() => temp.cleanup());

  it("a fresh journal has no memory", () => {
    expect(journal.loadCoreMemory()).toEqual({ record: null, problem: null });
  });

  it("what one daemon saves, the next reads back, after the file was closed and opened again", () => {
    const state = { gaveUp: { symptom: "k3s-down", at: T0, retryAt: T0 + HOUR, why: "the ladder is spent" }, announced: { "gave-up:k3s-down": { firstSaidAt: T0, saidAt: T0, seenAt: T0 } } };
    journal.saveCoreMemory({ bootId: "boot-a", anchor: T0 - 600 * SECOND, savedAt: T0, state });
    journal.saveCoreMemory({ bootId: "boot-a", anchor: T0 - 600 * SECOND, savedAt: T0 + SECOND, state: { ...state, announced: {} } });
    journal.close();
    const again = temp.open();
    expect(again.loadCoreMemory()).toEqual({ record: { bootId: "boot-a", anchor: T0 - 600 * SECOND, savedAt: T0 + SECOND, state: { ...state, announced: {} } }, problem: null });
  });

  it("a memory that is not JSON is not restored, and the problem is named", () => {
    journal.saveCoreMemory({ bootId: "boot-a", anchor: 0, savedAt: T0, state: {} });
    journal.close();
    const db = new Database(temp.path);
    db.prepare("UPDATE core_memory SET state = '{broken'").run();
    db.close();
    const again = temp.open();
    expect(again.loadCoreMemory()).toEqual({ record: null, problem: expect.stringMatching(/the stored core memory is not JSON .*: starting fresh/) });
  });

  it("an action's budget stamp keeps its monotonic reading and its boot; this boot's rows come back whatever their wall time", () => {
    const id = journal.planAction("restart-k3s", "k3s down", T0, false);
    journal.startAction(id, T0 + SECOND, 612_000);
    journal.finishAction(id, T0 + MINUTE, true, "done", ["k3s.service"]);
    journal.recordBoot("boot-b", T0 + 2 * HOUR);
    const later = journal.planAction("killall-k3s", "k3s down", T0 + 2 * HOUR, false);
    journal.startAction(later, T0 + 2 * HOUR + SECOND);
    // Asked for rows from +3h on (a wall clock stepped forward), but every row of boot-a too.
    expect(journal.storedStamps(T0 + 3 * HOUR, "boot-a")).toEqual([{ kind: "restart-k3s", at: T0 + SECOND, bootId: "boot-a", monoAt: 612_000 }]);
    expect(journal.storedStamps(T0, "boot-c")).toEqual([
      { kind: "restart-k3s", at: T0 + SECOND, bootId: "boot-a", monoAt: 612_000 },
      { kind: "killall-k3s", at: T0 + 2 * HOUR + SECOND, bootId: "boot-b", monoAt: null },
    ]);
  });
});
