import { statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Journal } from "../../src/journal/index.js";
import { HOUR, MINUTE, SECOND, T0, tempJournals } from "./temp-journal.js";

const DAY = 24 * HOUR;
const MIB = 1024 * 1024;

describe("pruning the journal", () => {
  let temp: ReturnType<typeof tempJournals>;
  let journal: Journal;
  beforeEach(() => {
    temp = tempJournals();
    journal = temp.open();
  });
  afterEach(() => temp.cleanup());

  // A previous boot, 40 days ago, with one of everything; then the current boot, today.
  function recordTwoBoots(now: number) {
    const old = now - 40 * DAY;
    journal.recordBoot("boot-old", old);
    journal.recordPhase(null, "waiting-for-k3s", old, "daemon started");
    journal.recordObservation("k3sUnit", "bad", "k3s.service is failed", old);
    journal.recordNote("err", "gave-up", "gave up on k3s-down", old);
    journal.recordPause(old + HOUR, "old maintenance", old, "cli");
    const oldAction = journal.planAction("restart-k3s", "k3s down", old, false);
    journal.startAction(oldAction, old);
    journal.finishAction(oldAction, old + MINUTE, true, "k3s.service active", ["k3s.service"]);

    // The current boot: its daemon has been up for 40 days too (an uptime this long is normal).
    journal.recordBoot("boot-now", old + DAY);
    const currentAction = journal.planAction("restart-registry", "registry down", old + DAY, false);
    journal.startAction(currentAction, old + DAY);
    journal.finishAction(currentAction, old + DAY + MINUTE, true, "registry answers /v2/", ["registry"]);
    journal.recordPause(now + 30 * MINUTE, "kernel upgrade", now - 40 * DAY, "cli"); // the active pause
    journal.recordObservation("k3sUnit", "ok", "k3s.service is active (running)", now - MINUTE);
  }

  it("rows older than the retention go, but never the current boot's actions or the active pause", () => {
    const now = T0 + 60 * DAY;
    recordTwoBoots(now);
    const removed = journal.prune(now, { retentionMs: 30 * DAY, maxBytes: 64 * MIB });
    // The old boot, its phase, observation, note, action and the pause the active one replaced.
    expect(removed).toBe(6);
    expect(journal.boots(10).map((boot) => boot.bootId)).toEqual(["boot-now"]);
    expect(journal.history({ kind: "action" }).map((entry) => entry.detail.kind)).toEqual(["restart-registry"]);
    expect(journal.currentPause(now)?.reason).toBe("kernel upgrade");
    expect(journal.history({ kind: "observation" }).map((entry) => entry.detail.status)).toEqual(["ok"]);
    expect(journal.history({ kind: "note" })).toEqual([]);
    expect(journal.prune(now, { retentionMs: 30 * DAY, maxBytes: 64 * MIB })).toBe(0);
  });

  it("a journal over its size limit loses its oldest observation changes first", () => {
    const now = T0 + DAY;
    journal.recordBoot("boot-now", T0);
    const action = journal.planAction("restart-k3s", "k3s down", T0, false);
    journal.startAction(action, T0);
    journal.recordPause(now + HOUR, "kernel upgrade", T0, "cli");
    journal.recordNote("info", "started", "daemon started", T0);
    const reason = "pods not ready: " + "songnodes/metadata-enrichment-7d9f-abcde ContainerCreating; ".repeat(4);
    for (let i = 0; i < 12_000; i++) {
      journal.recordObservation("pods", i % 2 === 0 ? "bad" : "ok", reason, T0 + i * SECOND);
    }
    expect(statSync(temp.path).size + walSize(temp.path)).toBeGreaterThan(2 * MIB);

    const removed = journal.prune(now, { retentionMs: 30 * DAY, maxBytes: MIB });
    expect(removed).toBeGreaterThan(0);
    expect(statSync(temp.path).size).toBeLessThanOrEqual(MIB);
    const left = journal.history({ kind: "observation", limit: 100_000 });
    expect(left.length).toBe(12_000 - removed);
    expect(left.at(-1)?.at).toBe(T0 + removed * SECOND); // the oldest went, the newest stayed
    expect(journal.history({ kind: "note" })).toHaveLength(1);
    expect(journal.history({ kind: "action" })).toHaveLength(1);
    expect(journal.currentPause(now)?.reason).toBe("kernel upgrade");
  });

  it("when observations are not enough, the oldest other rows go, still sparing the current boot's actions and the active pause", () => {
    const now = T0 + DAY;
    const message = "containerd metadata corruption: " + "panic: assertion failed: Page expected to be… ".repeat(10);
    journal.recordBoot("boot-old", T0);
    for (let i = 0; i < 3_000; i++) journal.recordNote("err", `note-${i}`, message, T0 + i * SECOND);
    journal.recordObservation("k3sLog", "bad", "bbolt panic in containerd.log", T0 + HOUR);
    journal.recordBoot("boot-now", T0 + 2 * HOUR);
    const action = journal.planAction("restart-k3s", "k3s down", T0 + 2 * HOUR, false);
    journal.startAction(action, T0 + 2 * HOUR);
    journal.recordPause(now + HOUR, "human needed", T0 + 2 * HOUR, "cli");

    journal.prune(now, { retentionMs: 30 * DAY, maxBytes: MIB });
    expect(statSync(temp.path).size).toBeLessThanOrEqual(MIB);
    expect(journal.history({ kind: "observation" })).toEqual([]);
    const notes = journal.history({ kind: "note", limit: 10_000 });
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.length).toBeLessThan(3_000);
    expect(notes[0]?.detail.key).toBe("note-2999"); // the newest notes stayed
    expect(journal.lastAction()?.id).toBe(action);
    expect(journal.currentPause(now)?.reason).toBe("human needed");
  });
});

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
