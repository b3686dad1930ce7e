import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Journal } from "../../src/journal/index.js";
import { formatDuration } from "../../src/journal/index.js";
import { MINUTE, SECOND, T0, tempJournals } from "./temp-journal.js";

describe("journal history", () => {
  let temp: ReturnType<typeof tempJournals>;
  let journal: Journal;
  beforeEach(() => {
    temp = tempJournals();
    journal = temp.open();
    // A boot as the daemon would record it.
    journal.recordBoot("boot-a", T0);
    journal.recordPhase(null, "waiting-for-k3s", T0, "daemon started");
    journal.recordObservation("k3sUnit", "bad", "k3s.service is failed, result exit-code", T0 + SECOND);
    journal.recordObservation("k3sUnit", "bad", "k3s.service is failed, result exit-code", T0 + 6 * SECOND);
    const id = journal.planAction("restart-k3s", "k3s.service failed for 45s", T0 + 45 * SECOND, false);
    journal.startAction(id, T0 + 45 * SECOND);
    journal.finishAction(id, T0 + 2 * MINUTE + 45 * SECOND, false, "job timeout", ["k3s.service"]);
    journal.recordPhase("waiting-for-api", "waiting-for-nodes", T0 + 3 * MINUTE, "API ready");
    journal.recordNote("err", "gave-up:k3s-down", "gave up on k3s-down: restart budget spent", T0 + 4 * MINUTE);
    journal.markBootHealthy("boot-a", T0 + 5 * MINUTE);
  });
  afterEach(() => temp.cleanup());

  it("lists every kind newest first with readable summaries", () => {
    expect(journal.history().map((entry) => [entry.kind, entry.summary])).toEqual([
      ["boot", "boot boot-a healthy after 5m"],
      ["note", "err: gave up on k3s-down: restart budget spent"],
      ["phase", "phase waiting-for-api → waiting-for-nodes: API ready"],
      ["action", "restart-k3s failed after 2m: job timeout"],
      ["observation", "k3sUnit bad: k3s.service is failed, result exit-code"],
      ["phase", "phase (start) → waiting-for-k3s: daemon started"],
      ["boot", "boot boot-a first seen"],
    ]);
  });

  it("an unchanged reading is recorded once; a changed one again", () => {
    expect(journal.recordObservation("k3sUnit", "bad", "k3s.service is failed, result exit-code", T0 + MINUTE)).toBe(false);
    expect(journal.recordObservation("k3sUnit", "ok", "k3s.service is active (running)", T0 + MINUTE)).toBe(true);
    expect(journal.recordObservation("api", "bad", "k3s.service is failed, result exit-code", T0 + MINUTE)).toBe(true);
    expect(journal.history({ kind: "observation" })).toHaveLength(3);
  });

  it("filters by kind, since and limit", () => {
    expect(journal.history({ kind: "phase" }).map((entry) => entry.detail.to)).toEqual(["waiting-for-nodes", "waiting-for-k3s"]);
    expect(journal.history({ since: T0 + 3 * MINUTE }).map((entry) => entry.kind)).toEqual(["boot", "note", "phase"]);
    expect(journal.history({ limit: 2 }).map((entry) => entry.kind)).toEqual(["boot", "note"]);
    expect(journal.history({ kind: "action", since: T0 + 3 * MINUTE })).toEqual([]);
    expect(() => journal.history({ limit: -1 })).toThrow(/limit/);
  });

  it("an action's detail carries its whole record", () => {
    const [action] = journal.history({ kind: "action" });
    expect(action?.detail).toMatchObject({
      kind: "restart-k3s",
      outcome: "failed",
      touched: ["k3s.service"],
      dryRun: false,
      startedAt: T0 + 45 * SECOND,
      bootId: "boot-a",
    });
    expect(action?.at).toBe(T0 + 2 * MINUTE + 45 * SECOND);
  });

  it("durations read as a person would say them", () => {
    expect([850, 45_000, 120_000, 3_900_000, 3_600_000, 183_600_000].map(formatDuration)).toEqual([
      "850ms",
      "45s",
      "2m",
      "1h5m",
      "1h",
      "2d3h",
    ]);
  });
});
