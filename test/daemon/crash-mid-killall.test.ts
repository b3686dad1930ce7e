// The built daemon killed with SIGKILL between stopping k3s and starting it again (its killall script
// still running): the next daemon must not leave k3s stopped for the whole cooldown. It starts k3s
// again at start-up, outside the budget, and says so. And a killall script that a local user made
// writable after start-up is refused just before it would run, with k3s left running.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeUnit, type FakeUnit } from "../systemd/fake-unit.js";
import { ask, spawnDaemon, startFakeHost, stopDaemon, until, type BuiltDaemon, type FakeHost } from "./built-daemon.js";

// k3s active but its containerd socket absent: the ladder's only rung is killall-k3s (after 1 s).
// Each test starts on a fresh journal, on a machine that may have been up longer than the budget
// window: without this the budgets would be held (tested in hardening-journal.test.ts).
const CONFIG = "timing: { tick: 1s, containerdHoldOff: 1s, probeTimeout: 1s }\njournal: { holdBudgetsWhenForgotten: false }\n";

describe("a daemon killed in the middle of killall-k3s", () => {
  let host: FakeHost;
  let unit: FakeUnit;
  const daemons: BuiltDaemon[] = [];
  let scriptPid = 0;

  beforeAll(async () => {
    unit = createFakeUnit("k3s.service");
    host = await startFakeHost([unit]);
  }, 60_000);

  afterAll(async () => {
    for (const daemon of daemons) await stopDaemon(daemon);
    if (scriptPid > 0) {
      try {
        process.kill(scriptPid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await host?.close();
  });

  it("leaves k3s stopped only until the next daemon starts it again, outside the budget, saying so", async () => {
    const bin = join(host.dir, "bin");
    mkdirSync(bin, { mode: 0o755 });
    const script = join(bin, "k3s-killall.sh");
    const pidFile = join(host.dir, "killall.pid");
    writeFileSync(script, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 600\n`, { mode: 0o755 });
    const config = join(host.dir, "config.yaml");
    writeFileSync(config, `${host.baseConfig.replace("journalctl: /bin/true", `journalctl: /bin/true, killall: ${script}`)}\n${CONFIG}`);
    const paths = { config, stateDir: join(host.dir, "state"), runtimeDir: join(host.dir, "run") };

    const first = await spawnDaemon(paths);
    daemons.push(first);
    await until("the killall script to run after k3s was stopped", () => {
      try {
        scriptPid = Number(readFileSync(pidFile, "utf8").trim());
      } catch {
        return undefined;
      }
      return scriptPid > 0 && unit.calls.includes("stop") ? true : undefined;
    }, 30_000);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(unit.properties().activeState).toBe("inactive");
    expect(unit.calls).toEqual(["stop"]);
    process.kill(scriptPid, "SIGKILL");

    const second = await spawnDaemon(paths);
    daemons.push(second);
    await until("k3s to be started again", () => (unit.calls.includes("start") ? true : undefined), 30_000);
    expect(unit.calls).toEqual(["stop", "start"]);
    await until("the second daemon's socket", () => ask(second.statusSock, "/v1/status").then((answer) => (answer.status === 200 ? true : undefined)));
    const notes = (await ask(second.statusSock, "/v1/history?kind=note&limit=50")).body.entries as { detail: { key: string; level: string; message: string } }[];
    const finished = notes.filter((note) => note.detail.key.startsWith("finished-interrupted:"));
    expect(finished).toHaveLength(1);
    expect(finished[0]?.detail.level).toBe("warning");
    expect(finished[0]?.detail.message).toMatch(/^the daemon stopped during killall-k3s #\d+ \(started .*\) and left k3s.service inactive; started it again at start-up: done\. This completes that action and is not counted against any budget \(the action already was\)$/);
    expect(second.output()).toMatch(/the daemon stopped during killall-k3s #\d+ .* left k3s.service inactive: starting it again \(completing that action, outside the budget\)/);
    const status = (await ask(second.statusSock, "/v1/status")).body;
    expect(status.budgets.find((b: { kind: string }) => b.kind === "killall-k3s")).toMatchObject({ used: 1, max: 1 });
    const actions = (await ask(second.statusSock, "/v1/history?kind=action&limit=50")).body.entries as { detail: { outcome: string; kind: string } }[];
    expect(actions.map((entry) => [entry.detail.kind, entry.detail.outcome])).toEqual([["killall-k3s", "interrupted"]]);
    await stopDaemon(second);

    // A third start finds the action already completed and starts nothing.
    const third = await spawnDaemon(paths);
    daemons.push(third);
    await until("the third daemon's socket", () => ask(third.statusSock, "/v1/status").then((answer) => (answer.status === 200 ? true : undefined)));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(unit.calls).toEqual(["stop", "start"]);
    await stopDaemon(third);
  }, 120_000);
});

describe("a killall script changed after start-up", () => {
  let host: FakeHost;
  let unit: FakeUnit;
  let daemon: BuiltDaemon | null = null;

  beforeAll(async () => {
    unit = createFakeUnit("k3s.service");
    host = await startFakeHost([unit]);
  }, 60_000);

  afterAll(async () => {
    if (daemon) await stopDaemon(daemon);
    await host?.close();
  });

  it("is refused just before it would run as root: k3s is not stopped, the action fails with the reason, the loop goes on", async () => {
    const bin = join(host.dir, "bin");
    mkdirSync(bin, { mode: 0o755 });
    const script = join(bin, "k3s-killall.sh");
    writeFileSync(script, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const config = join(host.dir, "config.yaml");
    writeFileSync(config, `${host.baseConfig.replace("journalctl: /bin/true", `journalctl: /bin/true, killall: ${script}`)}\ntiming: { tick: 1s, containerdHoldOff: 3s, probeTimeout: 1s }\njournal: { holdBudgetsWhenForgotten: false }\n`);
    daemon = await spawnDaemon({ config, stateDir: join(host.dir, "state"), runtimeDir: join(host.dir, "run") });
    await until("the daemon's socket", () => ask(daemon!.statusSock, "/v1/status").then((answer) => (answer.status === 200 ? true : undefined)));
    // A local user (or a careless install) makes it writable while the daemon runs.
    chmodSync(script, 0o757);
    const action = await until("the killall action's outcome", async () => {
      const entries = (await ask(daemon!.statusSock, "/v1/history?kind=action&limit=10")).body.entries as { detail: { outcome: string; detail: string } }[];
      return entries.find((entry) => entry.detail.outcome === "failed")?.detail;
    }, 30_000);
    expect(action.detail).toBe(`refused to run ${script} as root, so k3s.service was not stopped: ${script} (file) is writable by others (mode 0757)`);
    expect(unit.calls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(daemon.child.exitCode).toBeNull();
    expect((await ask(daemon.statusSock, "/healthz")).status).toBe(200);
  }, 90_000);
});
