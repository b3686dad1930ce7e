// The package installed the shipped unit unchanged in /lib/systemd/system, systemd reads the
// settings the daemon relies on, and the container's own systemd-analyze verify finds nothing to
// say about it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { shippedUnit } from "../lib/install.mjs";
import { showUnit } from "../lib/systemd.mjs";

const UNIT = "songnodes-watchdog.service";

/** Scenario: unit-installed. */
export const unitInstalled = {
  name: "unit-installed",
  title: "the shipped unit is installed unchanged and systemd reads it as written",
  timeoutMs: 30_000,
  async run({ machine, log }) {
    assert.equal(readFileSync(machine.hostPath(`/lib/systemd/system/${UNIT}`), "utf8"), shippedUnit(), "the unit in the container differs from systemd/songnodes-watchdog.service");
    const p = await showUnit(machine, UNIT, ["LoadState", "FragmentPath", "DropInPaths", "Type", "NotifyAccess", "WatchdogUSec", "Restart", "RestartUSec", "RestartPreventExitStatus", "After", "Wants", "Requires", "SyslogIdentifier", "StateDirectory", "RuntimeDirectory", "TimeoutStopUSec", "NoNewPrivileges"]);
    log(`systemd read: Type=${p.Type} WatchdogUSec=${p.WatchdogUSec} RestartPreventExitStatus=${p.RestartPreventExitStatus} After=${p.After}`);
    assert.equal(p.LoadState, "loaded");
    // /lib is /usr/lib on a merged-/usr Debian; systemd names whichever of its paths it found first.
    assert.match(p.FragmentPath, /^\/(usr\/)?lib\/systemd\/system\/songnodes-watchdog\.service$/);
    assert.match(p.DropInPaths, /songnodes-watchdog\.service\.d\/system-test\.conf/);
    assert.equal(p.Type, "notify");
    assert.equal(p.NotifyAccess, "main");
    assert.equal(p.WatchdogUSec, "30s");
    assert.equal(p.Restart, "always");
    assert.equal(p.RestartUSec, "5s");
    assert.match(p.RestartPreventExitStatus, /\b78\b/);
    assert.ok(p.After.split(" ").includes("k3s.service"), `After= lacks k3s.service: ${p.After}`);
    assert.ok(p.Wants.split(" ").includes("k3s.service"), `Wants= lacks k3s.service: ${p.Wants}`);
    assert.ok(!p.Requires.split(" ").includes("k3s.service"), "Requires=k3s.service would stop the watchdog with k3s");
    assert.equal(p.SyslogIdentifier, "songnodes-watchdog");
    assert.equal(p.StateDirectory, "songnodes-watchdog");
    assert.equal(p.RuntimeDirectory, "songnodes-watchdog");
    assert.equal(p.TimeoutStopUSec, "15s");
    assert.equal(p.NoNewPrivileges, "yes");
    const verify = await machine.exec(["systemd-analyze", "verify", "--man=no", p.FragmentPath], { timeoutMs: 30_000 });
    assert.equal(verify.code, 0, `systemd-analyze verify failed: ${verify.stderr}`);
    assert.equal(`${verify.stdout}${verify.stderr}`.trim(), "", "systemd-analyze verify printed warnings");
  },
};
