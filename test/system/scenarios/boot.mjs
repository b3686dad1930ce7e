// Boot: k3s starts, the watchdog reaches READY=1 and then healthy; StatusText follows the phases,
// the journal shows each phase, the status socket agrees, and the daemon shares PID 1's mount
// namespace (so k3s-killall.sh's unmounts reach the host).
import assert from "node:assert/strict";
import { waitFor } from "../lib/exec.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { journal, showUnit } from "../lib/systemd.mjs";
import { UNIT, UNIT_PROPS, waitForPhase } from "../lib/watchdog.mjs";

const BOOT_ORDER = ["waiting-for-k3s", "waiting-for-containerd", "waiting-for-api", "waiting-for-nodes", "pods-converging", "healthy"];

/** Scenario: boot. */
export const boot = {
  name: "boot",
  title: "after boot the watchdog reaches READY=1, walks the phases and reports healthy",
  timeoutMs: 120_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  async run({ machine, log }) {
    const t0 = Date.now();
    // Watch StatusText from a fresh start of the daemon (the container's boot already ran one).
    await machine.execOk(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
    const seen = [];
    const { unit, view } = await waitFor("healthy, recording every StatusText on the way", async () => {
      const p = await showUnit(machine, UNIT, UNIT_PROPS);
      if (p.StatusText && seen.at(-1) !== p.StatusText) seen.push(p.StatusText);
      if (p.ActiveState === "active" && p.StatusText.includes("healthy")) return waitForPhase(machine, "healthy", 5_000);
      return null;
    }, { timeoutMs: 90_000, intervalMs: 100 });
    log(`StatusText went: ${seen.join(" → ")}`);
    log(`healthy ${((Date.now() - t0) / 1000).toFixed(1)} s after the start; status says time to healthy ${view.timeToHealthyMs} ms`);
    assert.equal(unit.ActiveState, "active", "Type=notify: active means READY=1 arrived");
    const phases = seen.map((text) => BOOT_ORDER.findIndex((phase) => text.includes(phase))).filter((i) => i >= 0);
    assert.deepEqual(phases, [...phases].sort((a, b) => a - b), `StatusText went backwards: ${seen.join(" → ")}`);

    const entries = await journal(machine, ["-u", UNIT, `_SYSTEMD_INVOCATION_ID=${unit.InvocationID}`]);
    const messages = entries.map((e) => e.MESSAGE);
    const logged = BOOT_ORDER.filter((phase) => messages.some((m) => m.includes(phase)));
    log(`phases in the journal: ${logged.join(", ")}`);
    assert.ok(logged.includes("healthy"), "the journal never says healthy");
    const order = logged.map((phase) => messages.findIndex((m) => m.includes(phase)));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), "phases appear out of order in the journal");
    assert.ok(entries.every((e) => e.SYSLOG_IDENTIFIER === "songnodes-watchdog" || e._PID === "1"), "a line without SyslogIdentifier=songnodes-watchdog");
    assert.ok(!messages.some((m) => /^<\d>/.test(m)), "a <N> prefix leaked into a message");

    const own = await machine.execOk(["readlink", `/proc/${unit.MainPID}/ns/mnt`, "/proc/1/ns/mnt"]);
    const [daemonNs, initNs] = own.stdout.trim().split("\n");
    assert.equal(daemonNs, initNs, "the daemon runs in a private mount namespace: k3s-killall.sh's unmounts would not reach the host");
  },
};
