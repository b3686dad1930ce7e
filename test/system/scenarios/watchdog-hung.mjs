// Watchdog hung: a test-only trigger stops the daemon's loop while the process lives on, so
// WATCHDOG=1 stops; systemd's WatchdogSec= kills it (result 'watchdog'), restarts it, and the new
// instance carries on with the same history and budgets from the SQLite journal.
import assert from "node:assert/strict";
import { waitFor } from "../lib/exec.mjs";
import { DAEMON, HANG_TRIGGER, STATUS_CLI } from "../lib/needs.mjs";
import { journal, showUnit, waitForUnit } from "../lib/systemd.mjs";
import { history, status, UNIT, UNIT_PROPS, waitForPhase } from "../lib/watchdog.mjs";

const HANG_FILE = "/run/system-test/hang-loop";

/** Scenario: watchdog-hung. */
export const watchdogHung = {
  name: "watchdog-hung",
  title: "a hung loop is killed by WatchdogSec= and the restarted daemon keeps its history and budgets",
  timeoutMs: 120_000,
  needs: [DAEMON, STATUS_CLI, HANG_TRIGGER],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    const before = await showUnit(machine, UNIT, UNIT_PROPS);
    const oldest = (await history(machine, 1000)).at(-1);
    const budgets = (await status(machine)).budgets;
    const since = Date.now();
    await machine.execOk(["sh", "-c", `mkdir -p /run/system-test && touch ${HANG_FILE}`]);
    const timeout = await waitFor("systemd's watchdog timeout in the journal", async () => {
      const entries = await journal(machine, ["-u", UNIT, "_PID=1", "--since", `@${(since / 1000).toFixed(3)}`]);
      return entries.find((e) => /result 'watchdog'/.test(e.MESSAGE)) ?? null;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    // The next instance must not hang again.
    await machine.execOk(["rm", "-f", HANG_FILE]);
    log(`systemd: ${timeout.MESSAGE} (${((Number(timeout.__REALTIME_TIMESTAMP) / 1000 - since) / 1000).toFixed(1)} s after the hang)`);
    const after = await waitForUnit(machine, UNIT, UNIT_PROPS, (p) => p.ActiveState === "active" && p.InvocationID !== before.InvocationID, { timeoutMs: 30_000 });
    assert.equal(Number(after.NRestarts), Number(before.NRestarts) + 1, "systemd did not restart the daemon exactly once");
    await waitForPhase(machine, "healthy", 60_000);
    const carried = await history(machine, 1000);
    assert.ok(oldest === undefined || carried.some((e) => e.id === oldest.id), "the history from before the hang is gone");
    const now = (await status(machine)).budgets;
    for (const b of budgets) {
      const again = now.find((n) => n.kind === b.kind);
      assert.ok(again && again.used >= b.used, `${b.kind}: budget used ${b.used} before, ${again?.used} after the restart`);
    }
  },
};
