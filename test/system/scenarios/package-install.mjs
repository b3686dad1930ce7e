// Install: the previous release's .deb with `apt install ./file.deb` on a node with no Node at all.
// postinst keeps the config that is there, creates the status group it names, enables and starts
// the unit; the daemon runs on the package's own Node and reaches healthy.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { addTestUsers, CONFIG_FILE, previousReleaseConfig, STATUS_GROUP } from "../lib/install.mjs";
import { apt, installedVersion, putPackage } from "../lib/package.mjs";
import { showUnit } from "../lib/systemd.mjs";
import { UNIT, UNIT_PROPS, waitForPhase } from "../lib/watchdog.mjs";

export const BUNDLED_NODE = "/usr/lib/songnodes-watchdog/node/bin/node";
export const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Scenario: package-install (always runs: it installs the watchdog for every other scenario). */
export const packageInstall = {
  name: "package-install",
  title: "apt install ./songnodes-watchdog_…_amd64.deb on a node without Node: the unit enabled, started, healthy",
  setup: true,
  timeoutMs: 240_000,
  async run({ machine, log, packages }) {
    const noNode = await machine.exec(["sh", "-c", "command -v node nodejs npm; ls /usr/bin/node /usr/local/bin/node"]);
    assert.equal(noNode.stdout.trim(), "", `the container has a Node before the package: ${noNode.stdout}`);
    assert.equal((await machine.exec(["getent", "group", STATUS_GROUP])).code, 2, `${STATUS_GROUP} exists before the package created it`);
    assert.equal(await installedVersion(machine), null);
    // The previous release refuses keys added since; package-upgrade puts the full settings back.
    writeFileSync(machine.hostPath(CONFIG_FILE), previousReleaseConfig());
    const config = sha256(machine.hostPath(CONFIG_FILE));

    const deb = putPackage(machine, packages.previous);
    const t0 = Date.now();
    // apt takes a path to a .deb (./file.deb or an absolute one) as a package to install.
    const said = await apt(machine, ["install", deb]);
    log(`apt install ${packages.previous.file}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.equal(await installedVersion(machine), packages.previous.version);

    assert.equal(sha256(machine.hostPath(CONFIG_FILE)), config, "postinst changed an existing config");
    assert.doesNotMatch(said.stdout, /wrote \/etc\/songnodes-watchdog\/config\.yaml/);
    assert.equal((await machine.exec(["getent", "group", STATUS_GROUP])).code, 0, `postinst did not create the status group ${STATUS_GROUP} that the config names`);
    assert.match(said.stdout, new RegExp(`created the status group ${STATUS_GROUP}`));
    const enabled = await machine.exec(["systemctl", "is-enabled", UNIT]);
    assert.equal(enabled.stdout.trim(), "enabled");

    const { unit } = await waitForPhase(machine, "healthy", 90_000);
    const exe = await machine.execOk(["readlink", `/proc/${unit.MainPID}/exe`]);
    assert.equal(exe.stdout.trim(), BUNDLED_NODE, "the daemon does not run on the package's own Node");
    const p = await showUnit(machine, UNIT, ["FragmentPath"]);
    assert.match(p.FragmentPath, /^\/(usr\/)?lib\/systemd\/system\/songnodes-watchdog\.service$/);
    await addTestUsers(machine, { withStatusGroup: true });
    log(`${packages.previous.version} installed; the daemon (PID ${unit.MainPID}) runs ${exe.stdout.trim()} and is healthy`);
  },
};
