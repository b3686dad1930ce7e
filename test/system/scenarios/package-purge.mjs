// Remove and purge, then a fresh install on a node without a config: `apt purge` stops and disables
// the unit and removes the code, the journal and the config; a new install writes a config with
// dryRun: true and runs in dry-run mode; `apt remove` stops and disables it but keeps the journal
// and the config; purge removes them.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { CONFIG_FILE, STATUS_GROUP } from "../lib/install.mjs";
import { apt, installedVersion, putPackage } from "../lib/package.mjs";
import { showUnit } from "../lib/systemd.mjs";
import { waitFor } from "../lib/exec.mjs";
import { status, UNIT } from "../lib/watchdog.mjs";

const STATE = "/var/lib/songnodes-watchdog";
const PACKAGE_FILES = ["/usr/bin/songnodes-watchdog", "/usr/lib/songnodes-watchdog", "/lib/systemd/system/songnodes-watchdog.service"];
const WANTS_LINK = `/etc/systemd/system/multi-user.target.wants/${UNIT}`;

async function assertStoppedAndDisabled(machine) {
  const p = await showUnit(machine, UNIT, ["ActiveState", "UnitFileState", "MainPID"]);
  assert.equal(p.ActiveState, "inactive", `the unit is ${p.ActiveState} after removal`);
  assert.equal(p.MainPID, "0");
  assert.ok(!existsSync(machine.hostPath(WANTS_LINK)), "the unit is still enabled (its wants link is there)");
  const left = await machine.exec(["pgrep", "-f", "/usr/lib/songnodes-watchdog/"]);
  assert.equal(left.stdout.trim(), "", `a watchdog process is still running: ${left.stdout}`);
}

/** Scenario: package-purge (always runs, last). */
export const packagePurge = {
  name: "package-purge",
  title: "apt purge removes the unit, the code, the journal and the config; a fresh install starts in dry-run",
  setup: true,
  timeoutMs: 300_000,
  async run({ machine, log, packages }) {
    await apt(machine, ["purge", "songnodes-watchdog"]);
    assert.equal(await installedVersion(machine), null);
    await assertStoppedAndDisabled(machine);
    for (const path of [...PACKAGE_FILES, STATE, CONFIG_FILE, "/etc/songnodes-watchdog"]) assert.ok(!existsSync(machine.hostPath(path)), `${path} is left after purge`);
    assert.equal((await machine.exec(["getent", "group", STATUS_GROUP])).code, 0, "purge removed the status group (other files or users may use it)");
    log("purged: no unit, no code, no journal, no config");

    // A node that never had a config: postinst writes one in dry-run mode and starts the daemon.
    const deb = putPackage(machine, packages.current);
    const said = await apt(machine, ["install", deb]);
    assert.match(said.stdout, /wrote \/etc\/songnodes-watchdog\/config\.yaml \(dryRun: true/);
    assert.match(readFileSync(machine.hostPath(CONFIG_FILE), "utf8"), /^dryRun: true$/m);
    // The first config has the default timings (healthy only after healthyHold, 1 min): the daemon
    // answering in dry-run mode is what this step is about.
    const view = await waitFor("the freshly installed daemon to answer on its status socket", () => status(machine), { timeoutMs: 60_000, intervalMs: 500 });
    assert.equal(view.dryRun, true, "a fresh install does not run in dry-run mode");
    log(`fresh install: config written with dryRun: true, the daemon answering in dry-run mode (phase ${view.phase})`);

    await apt(machine, ["remove", "songnodes-watchdog"]);
    await assertStoppedAndDisabled(machine);
    for (const path of PACKAGE_FILES) assert.ok(!existsSync(machine.hostPath(path)), `${path} is left after remove`);
    assert.ok(existsSync(machine.hostPath(`${STATE}/journal.sqlite`)), "remove (not purge) deleted the journal");
    assert.ok(existsSync(machine.hostPath(CONFIG_FILE)), "remove (not purge) deleted the config");
    await apt(machine, ["purge", "songnodes-watchdog"]);
    for (const path of [STATE, CONFIG_FILE]) assert.ok(!existsSync(machine.hostPath(path)), `${path} is left after purge`);
    log("remove kept the journal and the config; purge removed them");
  },
};
