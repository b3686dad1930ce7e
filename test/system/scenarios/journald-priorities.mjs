// The harness's own check that journald in the container turns a `<N>` line prefix into the
// entry's PRIORITY (SyslogLevelPrefix=yes, the default), which the daemon's logging relies on.
import assert from "node:assert/strict";
import { STANDIN_NODE } from "../lib/install.mjs";
import { journal } from "../lib/systemd.mjs";

/** Scenario: journald-priorities. */
export const journaldPriorities = {
  name: "journald-priorities",
  title: "journald reads <N> prefixes as priorities, so journalctl -p err filters",
  timeoutMs: 30_000,
  async run({ machine }) {
    const script = 'console.log("<3>an error line"); console.log("<4>a warning line"); console.log("<6>an info line");';
    await machine.execOk(["systemd-run", "--unit=priority-probe", "--wait", "--quiet", "-p", "SyslogIdentifier=priority-probe", STANDIN_NODE, "-e", script], { timeoutMs: 20_000 });
    const entries = (await journal(machine, ["-u", "priority-probe", "SYSLOG_IDENTIFIER=priority-probe"])).map((e) => [e.PRIORITY, e.MESSAGE]);
    assert.deepEqual(entries, [["3", "an error line"], ["4", "a warning line"], ["6", "an info line"]]);
    const errors = await journal(machine, ["-u", "priority-probe", "-p", "err"]);
    assert.deepEqual(errors.filter((e) => e.SYSLOG_IDENTIFIER === "priority-probe").map((e) => e.MESSAGE), ["an error line"]);
  },
};
