// k3s keeps failing: restart, then killall, then gave-up within the budget; the gave-up line is
// said once at priority err, the killall stand-in ran once, and restarts stay within the budget.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { waitFor } from "../lib/exec.mjs";
import { writeFaults } from "../lib/install.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { journal } from "../lib/systemd.mjs";
import { cli, history, status, UNIT, waitForPhase } from "../lib/watchdog.mjs";
import { TEST_BUDGETS } from "../lib/install.mjs";

/** Scenario: k3s-failing. */
export const k3sFailing = {
  name: "k3s-failing",
  title: "k3s that keeps failing gets restart, killall, then gave-up, said once",
  timeoutMs: 150_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    const since = Date.now();
    writeFaults(machine, { k3s: { fail: true } });
    await machine.execOk(["systemctl", "kill", "--signal=SIGKILL", "k3s.service"]);
    const gaveUp = await waitFor("gave-up", async () => ((await status(machine)).phase === "gave-up" ? true : null), { timeoutMs: 120_000, intervalMs: 500 });
    assert.ok(gaveUp);
    log(`gave up ${((Date.now() - since) / 1000).toFixed(1)} s after k3s started failing`);
    // Stay a few ticks in gave-up: the err line must not repeat.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const errors = (await journal(machine, ["-u", UNIT, "-p", "err", "--since", `@${(since / 1000).toFixed(3)}`])).filter((e) => /gave.up/i.test(e.MESSAGE));
    assert.equal(errors.length, 1, `gave-up said ${errors.length} times at priority err`);
    const actions = (await history(machine, 500)).filter((e) => e.at >= since && e.kind === "action");
    const restarts = actions.filter((e) => /restart-k3s/.test(JSON.stringify(e)));
    const killalls = readFileSync(machine.hostPath("/var/lib/system-test/killall-runs"), "utf8").trim().split("\n").filter((line) => Number(line) >= since);
    log(`restart-k3s actions: ${restarts.length}, killall runs: ${killalls.length}`);
    assert.ok(restarts.length >= 1, "no restart before killall");
    assert.equal(killalls.length, TEST_BUDGETS.killallK3s, "k3s-killall.sh ran a different number of times than its budget");
    const view = await status(machine);
    for (const budget of view.budgets) assert.ok(budget.used <= budget.max, `${budget.kind} used ${budget.used} of ${budget.max}`);
    // Mend k3s and let the operator resume: the watchdog acts again and gets back to healthy.
    writeFaults(machine, {});
    const resumed = await cli(machine, ["resume", "--reason", "system test: k3s mended"]);
    assert.equal(resumed.code, 0, `resume failed: ${resumed.stderr}`);
    await waitForPhase(machine, "healthy", 90_000);
  },
};
