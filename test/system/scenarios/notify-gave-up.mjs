// Notifications under real systemd: the simulated k3s fails for good and the daemon gives up; the
// receiver (a webhook on the container's loopback) gets exactly one "gave up". After the fault is
// mended and `resume` is run, it gets exactly one "resolved", naming that "gave up". Runs last: it
// rewrites the config (a notification channel, budgets large enough that the ladder, not a budget
// left over from earlier scenarios, ends in gave-up) and puts the test config back at the end.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { waitFor } from "../lib/exec.mjs";
import { CONFIG_FILE, defaultConfig, PROJECT_IN_CONTAINER, STANDIN_NODE, writeFaults } from "../lib/install.mjs";
import { DAEMON, NOTIFICATIONS, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { cli, status, UNIT, waitForPhase } from "../lib/watchdog.mjs";

const PORT = 9477;
const RECEIVED = "/var/lib/system-test/notifications.jsonl";
const RECEIVER_UNIT = "notify-receiver.service";

/**
 * The test config with a webhook channel to the receiver and budgets the ladder cannot exhaust: the
 * registry's too, since the scenarios before this one restart the registry and a nearly spent
 * budget would (rightly) be told before k3s fails.
 */
function notifyingConfig() {
  const channels = `notifications:
  retry: { initial: 1s, max: 5s }
  channels:
    - { type: webhook, name: receiver, url: "http://127.0.0.1:${PORT}/hook" }
`;
  return defaultConfig(channels).replace(/budgets:\n(  .*\n)+/, "budgets:\n  restartK3s: { max: 20, window: 1h }\n  killallK3s: { max: 20, window: 1h }\n  restartRegistry: { max: 20, window: 1h }\n  deletePods: { max: 200, window: 1h }\n");
}

/** Scenario: notify-gave-up. */
export const notifyGaveUp = {
  name: "notify-gave-up",
  title: "k3s failing for good: exactly one 'gave up' at the receiver; after mend and resume, exactly one 'resolved'",
  timeoutMs: 300_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS, NOTIFICATIONS],
  diagnose: [RECEIVER_UNIT],
  async run({ machine, log }) {
    const configPath = machine.hostPath(CONFIG_FILE);
    const original = readFileSync(configPath, "utf8");
    const received = () => {
      const path = machine.hostPath(RECEIVED);
      if (!existsSync(path)) return [];
      return readFileSync(path, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
    };
    const ofKind = (kind) => received().filter((entry) => entry.body?.kind === kind);
    try {
      writeFileSync(machine.hostPath(RECEIVED), "");
      await machine.execOk(["systemd-run", `--unit=${RECEIVER_UNIT}`, "--collect", STANDIN_NODE, `${PROJECT_IN_CONTAINER}/test/system/standins/notify-receiver.mjs`, String(PORT), RECEIVED]);
      writeFileSync(configPath, notifyingConfig());
      const checked = await cli(machine, ["check", "--config", CONFIG_FILE]);
      assert.notEqual(checked.code, 78, `the notifying config is invalid: ${checked.stderr}`);
      await machine.execOk(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
      await waitForPhase(machine, "healthy", 120_000);
      const before = received().length;
      assert.equal(before, 0, `the receiver got ${before} notification(s) from a healthy node: ${JSON.stringify(received())}`);

      writeFaults(machine, { k3s: { fail: true } });
      await machine.execOk(["systemctl", "kill", "--signal=SIGKILL", "k3s.service"]);
      await waitFor("gave-up", async () => ((await status(machine)).phase === "gave-up" ? true : null), { timeoutMs: 150_000, intervalMs: 500 });
      await waitFor("the 'gave up' notification at the receiver", () => (ofKind("gave-up").length > 0 ? true : null), { timeoutMs: 30_000, intervalMs: 250 });
      // Stay a while in gave-up: the ticks that follow must not send it again.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const gaveUp = ofKind("gave-up");
      assert.equal(gaveUp.length, 1, `'gave up' arrived ${gaveUp.length} times: ${JSON.stringify(gaveUp)}`);
      assert.equal(gaveUp[0].id, gaveUp[0].body.id, "the X-Songnodes-Event-Id header names the event's id");
      assert.equal(gaveUp[0].body.severity, "critical");
      assert.equal(ofKind("resolved").length, 0, "'resolved' before the node recovered");
      log(`gave up: ${gaveUp[0].body.message}`);

      writeFaults(machine, {});
      const resumed = await cli(machine, ["resume", "--reason", "system test: k3s mended"]);
      assert.equal(resumed.code, 0, `resume failed: ${resumed.stderr}`);
      await waitForPhase(machine, "healthy", 120_000);
      await waitFor("the 'resolved' notification at the receiver", () => (ofKind("resolved").length > 0 ? true : null), { timeoutMs: 30_000, intervalMs: 250 });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const resolved = ofKind("resolved");
      assert.equal(resolved.length, 1, `'resolved' arrived ${resolved.length} times: ${JSON.stringify(resolved)}`);
      assert.ok(resolved[0].body.resolves.includes(gaveUp[0].body.id), `'resolved' does not name the 'gave up' it ends: ${JSON.stringify(resolved[0].body)}`);
      assert.equal(ofKind("gave-up").length, 1, "'gave up' was sent again after the recovery");
      const ids = received().map((entry) => entry.id);
      assert.equal(new Set(ids).size, ids.length, `an event arrived twice: ${ids.join(", ")}`);
      log(`received in order: ${received().map((entry) => entry.body.kind).join(", ")}`);
      const view = await status(machine);
      assert.deepEqual({ queued: view.notifications.queued, dropped: view.notifications.dropped }, { queued: 0, dropped: 0 });
    } finally {
      writeFaults(machine, {});
      writeFileSync(configPath, original);
      await machine.exec(["systemctl", "stop", RECEIVER_UNIT]);
      await machine.exec(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
    }
  },
};
