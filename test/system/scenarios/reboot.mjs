// Reboot: the container is powered off (`systemctl poweroff`) and booted again; the power-off is
// clean (the daemon stopped on SIGTERM, nothing had to be killed), the watchdog records a new boot
// (nspawn gives every boot its own boot id) and its time to healthy shows in status and boots.
import assert from "node:assert/strict";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { journal } from "../lib/systemd.mjs";
import { cli, status, UNIT, waitForPhase } from "../lib/watchdog.mjs";

/** Scenario: reboot. */
export const reboot = {
  name: "reboot",
  title: "after a reboot a new boot is recorded with its time to healthy",
  timeoutMs: 120_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    const before = await status(machine);
    const t0 = Date.now();
    const off = await machine.poweroff({ timeoutMs: 30_000 });
    const down = Date.now() - t0;
    assert.ok(off.clean, `the container did not power off cleanly: ${JSON.stringify(off)}`);
    await machine.boot();
    log(`powered off in ${(down / 1000).toFixed(1)} s, up again ${((Date.now() - t0 - down) / 1000).toFixed(1)} s later`);

    // The previous boot's journal (persistent in /var/log/journal): the daemon stopped on SIGTERM
    // well within TimeoutStopSec=, not killed.
    const last = (await journal(machine, ["-b", "-1", "-u", UNIT, "--since", `@${(t0 / 1000).toFixed(3)}`])).map((e) => e.MESSAGE);
    assert.ok(last.some((m) => /^stopping \(SIGTERM\)/.test(m)), "the daemon did not log its stop on SIGTERM in the previous boot");
    assert.ok(last.some((m) => /Deactivated successfully/.test(m)), `the unit did not stop cleanly in the previous boot: ${last.slice(-3).join(" | ")}`);
    assert.ok(!last.some((m) => /State 'stop-sigterm' timed out|Killing process/.test(m)), "systemd had to kill the daemon at power-off");
    // NotifyAccess=main: STOPPING=1 through systemd-notify must be taken as the main process's.
    assert.ok(!last.some((m) => /reception only permitted/.test(m)), "systemd refused the daemon's STOPPING=1");

    const { view } = await waitForPhase(machine, "healthy", 90_000);
    assert.notEqual(view.bootId, before.bootId, "the same boot id after a reboot");
    assert.equal(typeof view.timeToHealthyMs, "number", "status shows no time to healthy for the new boot");
    log(`time to healthy after the reboot: ${view.timeToHealthyMs} ms`);
    const boots = await cli(machine, ["boots", "--json"]);
    assert.equal(boots.code, 0, boots.stderr);
    const list = Array.isArray(boots.json) ? boots.json : boots.json?.boots ?? [];
    const current = list.find((b) => b.bootId === view.bootId);
    assert.ok(current && current.timeToHealthyMs === view.timeToHealthyMs, "boots does not list the new boot with its time to healthy");
    assert.ok(list.some((b) => b.bootId === before.bootId), "the previous boot is gone from boots");
  },
};
