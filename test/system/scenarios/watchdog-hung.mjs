// Watchdog hung: a test-only trigger stops the daemon's loop while the process lives on, so
// WATCHDOG=1 stops; systemd's WatchdogSec= kills it (Result=watchdog), restarts it, and the new
// instance carries on with the same history, boot and budgets from the SQLite journal.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { waitFor } from "../lib/exec.mjs";
import { DAEMON, HANG_TRIGGER, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { journal, showUnit, waitForUnit } from "../lib/systemd.mjs";
import { history, status, UNIT, UNIT_PROPS, waitForPhase } from "../lib/watchdog.mjs";

// The drop-in (test/system/files/songnodes-watchdog-test.conf) points the daemon at this file and
// removes it in ExecStartPre=, so the restarted instance never hangs again whatever the timing.
const HANG_FILE = "/run/system-test/hang-loop";
const at = (ms) => `@${(ms / 1000).toFixed(3)}`;

/** Scenario: watchdog-hung. */
export const watchdogHung = {
  name: "watchdog-hung",
  title: "a hung loop is killed by WatchdogSec= and the restarted daemon keeps its history and budgets",
  timeoutMs: 120_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS, HANG_TRIGGER],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    if ((await status(machine)).budgets.every((b) => b.used === 0)) {
      // Run alone, nothing has been spent yet: spend one restart so "budgets carry on" means something.
      const t = Date.now();
      await machine.execOk(["systemctl", "kill", "--signal=SIGKILL", "k3s.service"]);
      await waitFor("a restart-k3s in the budget", async () => ((await status(machine)).budgets.some((b) => b.used > 0) ? true : null), { timeoutMs: 30_000, intervalMs: 500 });
      await waitForPhase(machine, "healthy", 60_000);
      log(`spent a k3s restart first (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
    const before = await showUnit(machine, UNIT, UNIT_PROPS);
    const oldest = (await history(machine, 1000)).at(-1);
    const view = await status(machine);
    const since = Date.now();
    await machine.execOk(["sh", "-c", `mkdir -p /run/system-test && touch ${HANG_FILE}`]);

    // Proof that the loop stopped because of the trigger (a warning line from the hung process).
    await waitFor("the daemon to say its loop hangs", async () => {
      const lines = await journal(machine, ["-u", UNIT, "-p", "warning", "--since", at(since), `_PID=${before.MainPID}`]);
      return lines.some((e) => /test hook: the loop hangs/.test(e.MESSAGE)) ? true : null;
    }, { timeoutMs: 10_000, intervalMs: 250 });
    // systemd's verdict, read while the unit waits out RestartSec=5s: a watchdog kill, restart pending.
    // (stop-watchdog while the SIGABRT lands, then auto-restart with the same Result.)
    const seen = [];
    const killed = await waitForUnit(machine, UNIT, UNIT_PROPS, (p) => {
      const state = `${p.ActiveState}/${p.SubState} Result=${p.Result}`;
      if (seen.at(-1) !== state) seen.push(state);
      return p.Result === "watchdog" && p.SubState === "auto-restart";
    }, { what: "Result=watchdog with a restart pending", timeoutMs: 60_000 });
    const killedAt = Date.now();
    log(`unit went: ${seen.join(" → ")}`);
    assert.equal(killed.ActiveState, "activating");
    const pid1Lines = (await journal(machine, ["-u", UNIT, "_PID=1", "--since", at(since)])).map((e) => e.MESSAGE);
    assert.ok(pid1Lines.some((m) => /Watchdog timeout/.test(m)), `systemd logged no watchdog timeout: ${pid1Lines.join(" | ")}`);
    log(`systemd: ${pid1Lines.filter((m) => /atchdog/.test(m)).join(" | ")}`);
    log(`killed ${((killedAt - since) / 1000).toFixed(1)} s after the hang (WatchdogSec=30s counts from the last WATCHDOG=1)`);

    const after = await waitForUnit(machine, UNIT, UNIT_PROPS, (p) => p.ActiveState === "active" && p.InvocationID !== before.InvocationID, { what: "the restarted daemon active", timeoutMs: 30_000 });
    assert.equal(Number(after.NRestarts), Number(before.NRestarts) + 1, "systemd did not restart the daemon exactly once");
    assert.notEqual(after.MainPID, before.MainPID);
    assert.ok(!existsSync(machine.livePath(HANG_FILE)), "the hang file outlived the restart");
    const healthy = await waitForPhase(machine, "healthy", 60_000);
    log(`healthy again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);

    // The journal's history, the boot and the budgets carry on across the restart.
    const carried = await history(machine, 1000);
    assert.ok(oldest === undefined || carried.some((e) => e.id === oldest.id), "the history from before the hang is gone");
    assert.equal(healthy.view.bootId, view.bootId, "a daemon restart was recorded as a new boot");
    for (const b of view.budgets) {
      const again = healthy.view.budgets.find((n) => n.kind === b.kind);
      assert.ok(again && again.used >= b.used, `${b.kind}: budget used ${b.used} before, ${again?.used} after the restart`);
    }
    log(`budgets after the restart: ${healthy.view.budgets.map((b) => `${b.kind} ${b.used}/${b.max}`).join(", ")}`);
  },
};
