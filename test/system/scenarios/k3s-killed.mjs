// k3s killed: the watchdog hears it through D-Bus PropertiesChanged and restarts k3s through D-Bus
// before systemd's own RestartSec= would (test hold-off 2 s < RestartSec 5 s): NRestarts, which
// counts only systemd's automatic restarts, stays put, and the history shows restart-k3s.
import assert from "node:assert/strict";
import { waitFor } from "../lib/exec.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { showUnit, waitForUnit } from "../lib/systemd.mjs";
import { history, waitForPhase } from "../lib/watchdog.mjs";

/** Scenario: k3s-killed. */
export const k3sKilled = {
  name: "k3s-killed",
  title: "k3s killed is detected through D-Bus and restarted through D-Bus",
  timeoutMs: 90_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    const before = await showUnit(machine, "k3s.service", ["NRestarts", "InvocationID"]);
    const killedAt = Date.now();
    await machine.execOk(["systemctl", "kill", "--signal=SIGKILL", "k3s.service"]);
    const detected = await waitFor("the watchdog to see k3s down", async () => {
      const entries = await history(machine, 50);
      return entries.find((e) => e.at >= killedAt - 1000 && /k3s/i.test(e.summary) && !/restart/i.test(e.summary)) ?? null;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    const k3s = await waitForUnit(machine, "k3s.service", ["ActiveState", "NRestarts", "InvocationID"], (p) => p.ActiveState === "active" && p.InvocationID !== before.InvocationID, { timeoutMs: 30_000 });
    const recoveredAt = Date.now();
    await waitForPhase(machine, "healthy", 60_000);
    log(`time to detect: ${detected.at - killedAt} ms; time to k3s active again: ${recoveredAt - killedAt} ms`);
    const restarts = (await history(machine, 100)).filter((e) => e.at >= killedAt && e.kind === "action" && /restart-k3s/.test(JSON.stringify(e)));
    assert.ok(restarts.length >= 1, "the history shows no restart-k3s action");
    assert.equal(k3s.NRestarts, before.NRestarts, "systemd restarted k3s itself (NRestarts grew): the watchdog's D-Bus restart did not come first");
  },
};
