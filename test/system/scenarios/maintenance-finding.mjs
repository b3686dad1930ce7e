// Maintenance under real systemd: with the catch-up delay at one second the daemon runs its
// scheduled checks right after start. The stand-in k3s serves no postgres-backup CronJob, so the
// backup-freshness check finds nothing backs the database up: a crit finding, said exactly once at
// err in `journalctl -u songnodes-watchdog`, and shown on the status socket (status --json and
// `maintenance --json`). Puts the test config back at the end.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { waitFor } from "../lib/exec.mjs";
import { CONFIG_FILE, defaultConfig } from "../lib/install.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { journal } from "../lib/systemd.mjs";
import { cli, status, UNIT, waitForPhase } from "../lib/watchdog.mjs";

const FINDING = "maintenance backup-freshness crit: CronJob postgres-backup not found in namespace songnodes";

/** Scenario: maintenance-finding. */
export const maintenanceFinding = {
  name: "maintenance-finding",
  title: "a scheduled check's crit finding reaches journalctl at err once and the status socket",
  timeoutMs: 180_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  async run({ machine, log }) {
    const configPath = machine.hostPath(CONFIG_FILE);
    const original = readFileSync(configPath, "utf8");
    // The host disk check reads a tmpfs of the container, never the machine's disks.
    writeFileSync(configPath, defaultConfig("maintenance:\n  catchUpDelay: 1s\n  timezone: UTC\n  disk: { paths: [/run], kubeletPath: /run }\n"));
    try {
      const since = Date.now();
      await machine.execOk(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
      await waitForPhase(machine, "healthy", 120_000);
      const check = await waitFor("backup-freshness to have run", async () => {
        const view = await status(machine);
        const found = (view.maintenance ?? []).find((c) => c.name === "backup-freshness");
        return found?.lastRun ? found : null;
      }, { timeoutMs: 60_000, intervalMs: 500 });
      assert.equal(check.lastRun.level, "crit");
      assert.equal(check.lastRun.why, "first run");
      assert.match(check.lastRun.reason, /^CronJob postgres-backup not found in namespace songnodes/);
      assert.ok(check.nextRunAt > Date.now(), "no next run after the catch-up");
      const listed = await cli(machine, ["maintenance", "--json"]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(listed.json.maintenance.find((c) => c.name === "backup-freshness").lastRun.level, "crit");
      // Run it again by hand: the finding is the same, so it is not said again.
      const again = await machine.exec(["songnodes-watchdog", "maintenance", "run", "backup-freshness", "--json"], { timeoutMs: 30_000 });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).run.level, "crit");
      const errors = await journal(machine, ["-u", UNIT, "-p", "err", "--since", `@${(since / 1000).toFixed(3)}`]);
      const said = errors.filter((e) => e.SYSLOG_IDENTIFIER === "songnodes-watchdog" && e.MESSAGE.startsWith(FINDING));
      assert.equal(said.length, 1, `the finding was said ${said.length} times at err: ${said.map((e) => e.MESSAGE).join(" | ")}`);
      log(`journal (err): ${said[0].MESSAGE}`);
    } finally {
      writeFileSync(configPath, original);
      await machine.exec(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
    }
  },
};
