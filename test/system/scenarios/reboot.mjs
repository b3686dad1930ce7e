// Reboot: the container is powered off and booted again; the watchdog records a new boot (nspawn
// gives every boot its own boot id) and its time to healthy shows in status and boots.
import assert from "node:assert/strict";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { cli, status, waitForPhase } from "../lib/watchdog.mjs";

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
    await machine.poweroff();
    await machine.boot();
    log(`container down and up again in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
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
