import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Journal } from "../../src/journal/index.js";
import { MINUTE, SECOND, T0, tempJournals } from "./temp-journal.js";

describe("boots and pauses in the journal", () => {
  let temp: ReturnType<typeof tempJournals>;
  let journal: Journal;
  beforeEach(() => {
    temp = tempJournals();
    journal = temp.open();
  });
  afterEach(() => temp.cleanup());

  it("a boot's time to healthy runs from its first sighting to its first healthy moment", () => {
    expect(journal.recordBoot("boot-a", T0)).toBe(true);
    expect(journal.recordBoot("boot-a", T0 + MINUTE)).toBe(false); // a daemon restart in the same boot
    expect(journal.markBootHealthy("boot-a", T0 + 4 * MINUTE + 30 * SECOND)).toBe(true);
    expect(journal.markBootHealthy("boot-a", T0 + 20 * MINUTE)).toBe(false); // a later flap does not move it
    journal.recordBoot("boot-b", T0 + 60 * MINUTE);
    expect(journal.boots(10)).toEqual([
      { bootId: "boot-b", firstSeenAt: T0 + 60 * MINUTE, healthyAt: null, timeToHealthyMs: null },
      { bootId: "boot-a", firstSeenAt: T0, healthyAt: T0 + 4 * MINUTE + 30 * SECOND, timeToHealthyMs: 270_000 },
    ]);
    expect(journal.boots(1).map((boot) => boot.bootId)).toEqual(["boot-b"]);
  });

  it("a pause is in force until it expires, and survives a daemon restart", () => {
    journal.recordPause(T0 + 30 * MINUTE, "kernel upgrade", T0, "cli");
    expect(journal.currentPause(T0 + MINUTE)).toEqual({ until: T0 + 30 * MINUTE, reason: "kernel upgrade", at: T0, by: "cli" });
    journal.close();
    const reopened = temp.open();
    expect(reopened.currentPause(T0 + 29 * MINUTE)?.reason).toBe("kernel upgrade");
    expect(reopened.currentPause(T0 + 30 * MINUTE)).toBeNull();
  });

  it("resume ends the pause, and a new pause replaces the open one", () => {
    journal.recordPause(T0 + 30 * MINUTE, "kernel upgrade", T0, "cli");
    journal.recordPause(T0 + 60 * MINUTE, "longer: disk swap", T0 + MINUTE, "control-socket");
    expect(journal.currentPause(T0 + 2 * MINUTE)?.reason).toBe("longer: disk swap");
    expect(journal.endPause(T0 + 5 * MINUTE, "resumed by cli")).toBe(true);
    expect(journal.endPause(T0 + 6 * MINUTE, "resumed by cli")).toBe(false);
    expect(journal.currentPause(T0 + 6 * MINUTE)).toBeNull();
    expect(journal.history({ kind: "pause" }).map((entry) => entry.summary)).toEqual([
      "pause ended: resumed by cli",
      "paused for 59m by control-socket: longer: disk swap",
      "pause ended: replaced by a new pause",
      "paused for 30m by cli: kernel upgrade",
    ]);
  });
});
