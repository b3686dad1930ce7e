import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Journal } from "../../src/journal/index.js";
import { HOUR, MINUTE, SECOND, T0, tempJournals } from "./temp-journal.js";

describe("actions in the journal", () => {
  let temp: ReturnType<typeof tempJournals>;
  let journal: Journal;
  beforeEach(() => {
    temp = tempJournals();
    journal = temp.open();
    journal.recordBoot("boot-a", T0);
  });
  afterEach(() => temp.cleanup());

  it("a restart is planned, started and finished, and the row says how it went", () => {
    const id = journal.planAction("restart-k3s", "k3s.service failed for 45s", T0, false);
    expect(journal.lastAction()).toMatchObject({ id, outcome: "planned", startedAt: null, bootId: "boot-a" });
    journal.startAction(id, T0 + SECOND);
    expect(journal.lastAction()).toMatchObject({ outcome: "started", startedAt: T0 + SECOND });
    journal.finishAction(id, T0 + 2 * MINUTE + SECOND, false, "job timeout", ["k3s.service"]);
    expect(journal.lastAction()).toEqual({
      id,
      kind: "restart-k3s",
      why: "k3s.service failed for 45s",
      plannedAt: T0,
      startedAt: T0 + SECOND,
      finishedAt: T0 + 2 * MINUTE + SECOND,
      outcome: "failed",
      detail: "job timeout",
      touched: ["k3s.service"],
      bootId: "boot-a",
      dryRun: false,
    });
  });

  it("budgets count started, finished and dry-run actions but not one that was only planned", () => {
    const done = journal.planAction("restart-k3s", "k3s down", T0, false);
    journal.startAction(done, T0 + SECOND);
    journal.finishAction(done, T0 + 30 * SECOND, true, "k3s.service active", ["k3s.service"]);
    const running = journal.planAction("killall-k3s", "restart did not help", T0 + 5 * MINUTE, false);
    journal.startAction(running, T0 + 5 * MINUTE);
    journal.planAction("restart-registry", "registry down", T0 + 6 * MINUTE, true);
    journal.planAction("delete-pods", "3 pods Unknown", T0 + 7 * MINUTE, false);

    expect(journal.actionStamps(T0)).toEqual([
      { kind: "restart-k3s", at: T0 + SECOND },
      { kind: "killall-k3s", at: T0 + 5 * MINUTE },
      { kind: "restart-registry", at: T0 + 6 * MINUTE },
    ]);
  });

  it("the budget window starts at `since`: a restart two hours ago no longer counts", () => {
    const old = journal.planAction("restart-k3s", "k3s down", T0, false);
    journal.startAction(old, T0);
    const recent = journal.planAction("restart-k3s", "k3s down again", T0 + 2 * HOUR, false);
    journal.startAction(recent, T0 + 2 * HOUR);
    expect(journal.actionStamps(T0 + 2 * HOUR - HOUR)).toEqual([{ kind: "restart-k3s", at: T0 + 2 * HOUR }]);
  });

  it("a dry-run action stays a dry run when the loop also starts and finishes it", () => {
    const id = journal.planAction("delete-pods", "pod Terminating for 6m on a Ready node", T0, true);
    expect(journal.lastAction()).toMatchObject({ outcome: "dry-run", dryRun: true });
    journal.startAction(id, T0 + SECOND);
    journal.finishAction(id, T0 + 2 * SECOND, true, "would force-delete songnodes/rest-api-1", ["songnodes/rest-api-1"]);
    expect(journal.lastAction()).toMatchObject({ outcome: "dry-run", detail: "would force-delete songnodes/rest-api-1" });
    expect(journal.markInterrupted(T0 + MINUTE)).toBe(0);
  });

  it("at start-up, actions left planned or started are marked interrupted and only the started one counts", () => {
    const planned = journal.planAction("restart-registry", "registry down", T0, false);
    const started = journal.planAction("restart-k3s", "k3s down", T0 + MINUTE, false);
    journal.startAction(started, T0 + MINUTE);
    const finished = journal.planAction("delete-pods", "Unknown pods", T0 - MINUTE, false);
    journal.startAction(finished, T0 - MINUTE);
    journal.finishAction(finished, T0 - MINUTE + SECOND, true, "deleted 2 pods", ["songnodes/a", "songnodes/b"]);

    expect(journal.markInterrupted(T0 + 10 * MINUTE)).toBe(2);
    expect(journal.markInterrupted(T0 + 11 * MINUTE)).toBe(0);
    journal.startAction(planned, T0 + 12 * MINUTE); // a late write cannot revive an interrupted row
    journal.finishAction(finished, T0 + 12 * MINUTE, false, "late", []); // nor change a finished one
    const outcomes = journal.history({ kind: "action" }).map((entry) => [entry.detail.actionId, entry.detail.outcome]);
    expect(outcomes).toEqual(expect.arrayContaining([[planned, "interrupted"], [started, "interrupted"], [finished, "succeeded"]]));
    expect(journal.actionStamps(T0 - HOUR).map((stamp) => stamp.kind)).toEqual(["delete-pods", "restart-k3s"]);
  });

  it("an action planned before any boot was recorded in this run belongs to the newest known boot", () => {
    journal.close();
    const reopened = temp.open();
    reopened.planAction("restart-k3s", "k3s down", T0 + HOUR, false);
    expect(reopened.lastAction()?.bootId).toBe("boot-a");
  });

  it("with no boot known at all the action's boot is 'unknown'", () => {
    const fresh = temp.open(":memory:");
    fresh.planAction("restart-k3s", "k3s down", T0, false);
    expect(fresh.lastAction()?.bootId).toBe("unknown");
  });

  it("lastAction is null in an empty journal", () => {
    expect(temp.open(":memory:").lastAction()).toBeNull();
  });
});
