// Upgrade: apt install of this tree's .deb over the previous release. The config is untouched, the
// journal keeps every entry and its budgets, and the migrations between the two releases
// run (each recorded with the time of the upgrade); the new daemon is healthy again.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { MIGRATIONS } from "../../../dist/src/journal/migrations.js";
import { CONFIG_FILE, defaultConfig } from "../lib/install.mjs";
import { apt, installedVersion, journalSchema, putPackage } from "../lib/package.mjs";
import { history, status, UNIT, waitForPhase } from "../lib/watchdog.mjs";
import { BUNDLED_NODE, sha256 } from "./package-install.mjs";

const JOURNAL = "/var/lib/songnodes-watchdog/journal.sqlite";

/** Scenario: package-upgrade (always runs, after package-install). */
export const packageUpgrade = {
  name: "package-upgrade",
  title: "apt install of the new .deb over the previous one keeps the config and the journal, and migrates it",
  setup: true,
  timeoutMs: 240_000,
  async run({ machine, log, packages }) {
    const before = await waitForPhase(machine, "healthy", 60_000);
    const entries = await history(machine, 1000);
    const view = await status(machine);
    const config = sha256(machine.hostPath(CONFIG_FILE));
    const schema = journalSchema(machine.hostPath(JOURNAL));
    log(`before: ${packages.previous.version}, journal schema ${schema.userVersion}, ${entries.length} history entries, budgets ${view.budgets.map((b) => `${b.kind} ${b.used}/${b.max}`).join(", ")}`);

    const deb = putPackage(machine, packages.current);
    const upgradeAt = Date.now();
    await apt(machine, ["install", deb]);
    log(`apt install ${packages.current.file} over it: ${((Date.now() - upgradeAt) / 1000).toFixed(1)} s`);
    assert.equal(await installedVersion(machine), packages.current.version);
    assert.equal(sha256(machine.hostPath(CONFIG_FILE)), config, "the upgrade changed the config");

    const after = await waitForPhase(machine, "healthy", 90_000);
    assert.notEqual(after.unit.MainPID, before.unit.MainPID, "the daemon was not restarted on the new code");
    const exe = await machine.execOk(["readlink", `/proc/${after.unit.MainPID}/exe`]);
    assert.equal(exe.stdout.trim(), BUNDLED_NODE);

    const migrated = journalSchema(machine.hostPath(JOURNAL));
    assert.equal(migrated.userVersion, MIGRATIONS.length, "the journal is not at this release's schema");
    assert.deepEqual(migrated.migrations.map((m) => m.version), MIGRATIONS.map((m) => m.version));
    const ran = migrated.migrations.filter((m) => m.version > schema.userVersion);
    assert.equal(ran.length, MIGRATIONS.length - schema.userVersion);
    for (const m of ran) assert.ok(m.appliedAt >= upgradeAt, `migration ${m.version} was not applied by the upgrade`);
    for (const m of migrated.migrations.filter((m) => m.version <= schema.userVersion)) {
      assert.deepEqual(m, schema.migrations.find((old) => old.version === m.version), `migration ${m.version} ran again`);
    }
    log(ran.length > 0 ? `migrations run by the upgrade: ${ran.map((m) => m.version).join(", ")}` : `no schema change between the two releases (both at ${schema.userVersion})`);

    const kept = await history(machine, 1000);
    const ids = new Set(kept.map((e) => e.id));
    const lost = entries.filter((e) => !ids.has(e.id));
    assert.deepEqual(lost, [], "history entries from before the upgrade are gone");
    const again = await status(machine);
    for (const b of view.budgets) {
      const now = again.budgets.find((n) => n.kind === b.kind);
      assert.ok(now && now.used >= b.used, `${b.kind}: budget used ${b.used} before the upgrade, ${now?.used} after`);
    }
    log(`after: ${packages.current.version}, journal schema ${migrated.userVersion}, all ${entries.length} earlier entries and the budgets kept`);

    // The scenarios that follow run with this release's full test settings.
    writeFileSync(machine.hostPath(CONFIG_FILE), defaultConfig());
    await machine.execOk(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
    await waitForPhase(machine, "healthy", 90_000);
  },
};
