// k3s killed: the watchdog hears it through D-Bus PropertiesChanged and restarts k3s through D-Bus
// before systemd's own RestartSec= would (test hold-off 2 s < RestartSec 5 s): NRestarts, which
// counts only systemd's automatic restarts, stays put, and the history shows restart-k3s.
import assert from "node:assert/strict";
import { waitFor } from "../lib/exec.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { journal, showUnit, waitForUnit } from "../lib/systemd.mjs";
import { history, UNIT, UNIT_PROPS, waitForPhase } from "../lib/watchdog.mjs";

// A runtime drop-in (gone at the next reboot) turns on the daemon's debug lines for this scenario
// only: they name every reason each iteration ran for, which is how the D-Bus wake-up is told from a tick.
const DEBUG_DROP_IN = "/run/systemd/system/songnodes-watchdog.service.d/system-test-debug.conf";

/** Scenario: k3s-killed. */
export const k3sKilled = {
  name: "k3s-killed",
  title: "k3s killed is detected through D-Bus and restarted through D-Bus",
  timeoutMs: 120_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  async run({ machine, log }) {
    await withDebugLines(machine, async () => {
      await waitForPhase(machine, "healthy");
      const daemon = await showUnit(machine, UNIT, UNIT_PROPS);
      const before = await showUnit(machine, "k3s.service", ["NRestarts", "InvocationID"]);
      const killedAt = Date.now();
      await machine.execOk(["systemctl", "kill", "--signal=SIGKILL", "k3s.service"]);
      const detected = await waitFor("the watchdog to see k3s down", async () => {
        const entries = await history(machine, 50);
        return entries.find((e) => e.at >= killedAt - 1000 && e.kind === "observation" && e.detail.probe === "k3sUnit" && e.detail.status === "bad") ?? null;
      }, { timeoutMs: 20_000, intervalMs: 200 });
      const k3s = await waitForUnit(machine, "k3s.service", ["ActiveState", "NRestarts", "InvocationID"], (p) => p.ActiveState === "active" && p.InvocationID !== before.InvocationID, { timeoutMs: 30_000 });
      const recoveredAt = Date.now();
      await waitForPhase(machine, "healthy", 60_000);
      log(`time to detect: ${detected.at - killedAt} ms (${detected.summary}); time to k3s active again: ${recoveredAt - killedAt} ms`);

      // Detected through the D-Bus signal: the daemon's own bus connection subscribes to k3s's
      // PropertiesChanged (dbus-daemon's match rules), and the iteration that first read k3s down
      // was woken by them. Each iteration's debug line names every wake-up merged into it: the same
      // kill also breaks the API watches within the same millisecond, so the reasons come together.
      const subscribed = await subscribesToK3s(machine, daemon.MainPID);
      assert.ok(subscribed, "the daemon's bus connection has no match rule for PropertiesChanged on k3s.service");
      const lines = (await journal(machine, ["-u", UNIT, `_PID=${daemon.MainPID}`, "--since", `@${(killedAt / 1000).toFixed(3)}`])).map((e) => e.MESSAGE);
      const sawDown = lines.findIndex((m) => /^k3sUnit bad: /.test(m));
      assert.ok(sawDown > 0, `no "k3sUnit bad" line after the kill: ${lines.join(" | ")}`);
      const woke = lines.slice(0, sawDown).reverse().find((m) => /^wake: /.test(m)) ?? "";
      // One race is legitimate: a tick's iteration that began just before the signals arrived and read
      // the unit just after. Then the signals land during it and name themselves in the next wake-up.
      const next = lines.slice(sawDown).find((m) => /^wake: /.test(m)) ?? "";
      const byDbus = /k3s\.service or its D-Bus connection changed/;
      assert.ok(byDbus.test(woke) || (/^wake: tick$/.test(woke) && byDbus.test(next)), `the iteration that saw k3s down was not woken by k3s's PropertiesChanged: "${woke}", then "${next}"`);
      log(`daemon: match rule ${subscribed}; the iteration that saw k3s down: "${woke}"`);

      const restarts = (await history(machine, 100)).filter((e) => e.kind === "action" && e.detail.kind === "restart-k3s" && e.detail.plannedAt >= killedAt);
      assert.ok(restarts.some((e) => e.detail.outcome === "succeeded"), `the history shows no successful restart-k3s: ${restarts.map((e) => e.summary).join(" | ")}`);
      log(`history: ${restarts.find((e) => e.detail.outcome === "succeeded").summary}`);
      assert.equal(k3s.NRestarts, before.NRestarts, "systemd restarted k3s itself (NRestarts grew): the watchdog's D-Bus restart did not come first");
    });
  },
};

/** Run `fn` with the daemon logging at debug level, then restart it as it was. */
async function withDebugLines(machine, fn) {
  const reload = async () => {
    await machine.execOk(["systemctl", "daemon-reload"]);
    await machine.execOk(["systemctl", "restart", UNIT], { timeoutMs: 60_000 });
  };
  await machine.execOk(["sh", "-c", `mkdir -p ${DEBUG_DROP_IN.replace(/\/[^/]+$/, "")} && printf '[Service]\\nEnvironment=SONGNODES_WATCHDOG_DEBUG=1\\n' > ${DEBUG_DROP_IN}`]);
  await reload();
  try {
    await fn();
  } finally {
    await machine.exec(["rm", "-f", DEBUG_DROP_IN]);
    await reload();
    await waitForPhase(machine, "healthy", 60_000);
  }
}

/** The daemon's match rule for k3s's PropertiesChanged, from dbus-daemon's own table (Debug.Stats). */
async function subscribesToK3s(machine, pid) {
  const bus = ["busctl", "--system", "--json=short", "call", "org.freedesktop.DBus", "/org/freedesktop/DBus"];
  const rules = JSON.parse((await machine.execOk([...bus, "org.freedesktop.DBus.Debug.Stats", "GetAllMatchRules"])).stdout).data[0];
  for (const [connection, matches] of Object.entries(rules)) {
    // A connection listed a moment ago may be gone now (a busctl of our own, a short-lived client).
    const asked = await machine.exec([...bus, "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s", connection]);
    if (asked.code !== 0) continue;
    const owner = JSON.parse(asked.stdout).data[0];
    if (String(owner) !== String(pid)) continue;
    const rule = matches.find((m) => m.includes("member='PropertiesChanged'") && m.includes("/unit/k3s_2eservice"));
    if (rule) return rule;
  }
  return null;
}
