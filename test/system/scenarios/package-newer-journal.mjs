// Refuse a newer journal: a journal whose schema is newer than the installed release knows (what a
// downgrade leaves) makes the daemon say so at priority err and exit 78; the unit fails and systemd
// does not restart it (RestartPreventExitStatus=78). The journal is put back afterwards.
import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../dist/src/journal/migrations.js";
import { journalSchema } from "../lib/package.mjs";
import { journal, showUnit, waitForUnit } from "../lib/systemd.mjs";
import { UNIT, UNIT_PROPS, waitForPhase } from "../lib/watchdog.mjs";

const JOURNAL = "/var/lib/songnodes-watchdog/journal.sqlite";

/** Scenario: package-newer-journal. */
export const packageNewerJournal = {
  name: "package-newer-journal",
  title: "a journal from a newer release: the daemon refuses it, exits 78 and is not restarted",
  timeoutMs: 90_000,
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy", 60_000);
    await machine.execOk(["systemctl", "stop", UNIT], { timeoutMs: 30_000 });
    const newer = MIGRATIONS.length + 1;
    journalSchema(machine.hostPath(JOURNAL), { write: newer });
    const since = Date.now();
    try {
      await machine.exec(["systemctl", "start", UNIT], { timeoutMs: 30_000 });
      const failed = await waitForUnit(machine, UNIT, UNIT_PROPS, (p) => p.ActiveState === "failed", { what: "the unit to fail", timeoutMs: 30_000 });
      assert.equal(failed.ExecMainStatus, "78");
      // Past RestartSec=5s: a restart would show as activating or a higher NRestarts.
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const later = await showUnit(machine, UNIT, UNIT_PROPS);
      assert.equal(later.ActiveState, "failed", "systemd restarted a daemon that refused its journal");
      assert.equal(later.NRestarts, failed.NRestarts);
      const errors = await journal(machine, ["-u", UNIT, "-p", "err", "--since", `@${(since / 1000).toFixed(3)}`]);
      const said = errors.filter((e) => e.SYSLOG_IDENTIFIER === "songnodes-watchdog" && new RegExp(`schema version ${newer}, but this songnodes-watchdog knows versions up to ${MIGRATIONS.length}`).test(e.MESSAGE));
      assert.equal(said.length, 1, `expected one err line about the newer journal, got: ${errors.map((e) => e.MESSAGE).join(" | ")}`);
      log(`journal: ${said[0].MESSAGE}`);
      assert.equal(journalSchema(machine.hostPath(JOURNAL)).userVersion, newer, "the refused journal was changed");
    } finally {
      journalSchema(machine.hostPath(JOURNAL), { write: MIGRATIONS.length });
      await machine.exec(["systemctl", "reset-failed", UNIT]);
      await machine.exec(["systemctl", "start", UNIT], { timeoutMs: 60_000 });
    }
    await waitForPhase(machine, "healthy", 60_000);
  },
};
