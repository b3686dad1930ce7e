// Bad config: the daemon exits 78 (EX_CONFIG) naming the key, and systemd does not restart it
// (RestartPreventExitStatus=78). The good config is put back and the unit started again.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { CONFIG_FILE } from "../lib/install.mjs";
import { DAEMON } from "../lib/needs.mjs";
import { journal, showUnit, waitForUnit } from "../lib/systemd.mjs";
import { UNIT, UNIT_PROPS } from "../lib/watchdog.mjs";

/** Scenario: bad-config. */
export const badConfig = {
  name: "bad-config",
  title: "an invalid config fails the unit with status 78 and systemd does not restart it",
  timeoutMs: 60_000,
  needs: [DAEMON],
  async run({ machine, log }) {
    const path = machine.hostPath(CONFIG_FILE);
    const good = readFileSync(path, "utf8");
    const since = Date.now();
    // A key the test config does not set (a duplicate YAML key would fail for another reason; the
    // test config already has a journal: section).
    writeFileSync(path, `${good}\nflapping:\n  failures: lots\n`);
    try {
      await machine.exec(["systemctl", "restart", UNIT], { timeoutMs: 30_000 });
      const failed = await waitForUnit(machine, UNIT, UNIT_PROPS, (p) => p.ActiveState === "failed", { what: "the unit to fail", timeoutMs: 30_000 });
      assert.equal(failed.ExecMainStatus, "78");
      assert.equal(failed.Result, "exit-code");
      // Wait past RestartSec=5s: a restart would show as activating or a new NRestarts.
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const later = await showUnit(machine, UNIT, UNIT_PROPS);
      assert.equal(later.ActiveState, "failed", "systemd restarted the daemon despite exit status 78");
      assert.equal(later.NRestarts, failed.NRestarts);
      const errors = await journal(machine, ["-u", UNIT, "-p", "err", "--since", `@${(since / 1000).toFixed(3)}`]);
      const named = errors.find((e) => e.SYSLOG_IDENTIFIER === "songnodes-watchdog" && /flapping\.failures/.test(e.MESSAGE));
      assert.ok(named, "no err line naming flapping.failures");
      log(`journal: ${named.MESSAGE.split("\n")[0]}`);
    } finally {
      writeFileSync(path, good);
      await machine.exec(["systemctl", "reset-failed", UNIT]);
      await machine.exec(["systemctl", "start", UNIT], { timeoutMs: 60_000 });
    }
  },
};
