// The built daemon and its journal when things go wrong: a missing or empty journal must not reset
// the budgets silently, a corrupt one (random bytes, a directory in its place, an unusable disk) must
// not stop the watchdog, and a disk that fills up while it runs is said at err, in /healthz, status
// and STATUS=, without starving the watchdog (a restart would not help), and heals by itself.
import { spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";
import { createFakeUnit, type FakeUnit } from "../systemd/fake-unit.js";
import { ask, spawnDaemon, startFakeHost, stopDaemon, until, type BuiltDaemon, type FakeHost } from "./built-daemon.js";

const receiverScript = fileURLToPath(new URL("../notify/fixtures/notify-receiver.py", import.meta.url));
let host: FakeHost;
let unit: FakeUnit;
const daemons: BuiltDaemon[] = [];
const mounts: string[] = [];

function configFile(name: string, extra: string): string {
  const path = join(host.dir, `${name}.yaml`);
  writeFileSync(path, `${host.baseConfig}\n${extra}`);
  return path;
}

async function start(name: string, stateDir: string, extra = "timing: { tick: 1s }\n", env: NodeJS.ProcessEnv = {}): Promise<BuiltDaemon> {
  const daemon = await spawnDaemon({ config: configFile(name, extra), stateDir, runtimeDir: join(host.dir, `${name}-run`), env });
  daemons.push(daemon);
  await until(`${name}: the status socket`, () => ask(daemon.statusSock, "/v1/status").then((answer) => (answer.status === 200 ? true : undefined)), 30_000);
  return daemon;
}

const notes = async (daemon: BuiltDaemon) =>
  ((await ask(daemon.statusSock, "/v1/history?kind=note&limit=100")).body.entries as { detail: { level: string; key: string; message: string } }[]).map((entry) => entry.detail);

beforeAll(async () => {
  unit = createFakeUnit("k3s.service");
  host = await startFakeHost([unit]);
}, 60_000);

afterAll(async () => {
  for (const daemon of daemons) await stopDaemon(daemon);
  for (const mount of mounts) execFileSync("umount", ["-l", mount]);
  await host?.close();
});

describe("a journal that has forgotten the last window's remedies", () => {
  // The windows are 1 min, and this machine has been up longer than that.
  const HELD = "timing: { tick: 1s, k3sHoldOff: 1s }\nbudgets: { restartK3s: { window: 1m }, killallK3s: { window: 1m }, restartRegistry: { window: 1m }, deletePods: { window: 1m } }\n";

  it("a missing journal while the system has been up longer than the longest window: budgets held for one window, said once, kept across a daemon restart", async () => {
    unit.set({ activeState: "failed", subState: "failed", result: "exit-code" });
    unit.calls.length = 0;
    const state = join(host.dir, "held-state");
    const first = await start("held", state, HELD);
    const status = (await ask(first.statusSock, "/v1/status")).body;
    expect(status.budgets.find((b: { kind: string }) => b.kind === "restart-k3s")).toMatchObject({ used: 3, max: 3, left: 0 });
    expect(status.budgets.find((b: { kind: string }) => b.kind === "delete-pods")).toMatchObject({ used: 0 });
    const held = (await notes(first)).filter((note) => note.key.startsWith("budgets-held:"));
    expect(held).toHaveLength(1);
    expect(held[0]?.level).toBe("warning");
    expect(held[0]?.message).toMatch(/^the journal is new \(no boot recorded\) while the system has been up .*, longer than the longest budget window \(1m\): .* k3s restarts, killalls and registry restarts are counted as spent until /);
    expect(first.output()).toContain("counted as spent until");
    // k3s has been failed for longer than its 1 s hold-off: without the hold it would be restarted now.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(unit.calls).toEqual([]);
    await stopDaemon(first);

    const second = await start("held-again", state, HELD);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(unit.calls).toEqual([]);
    expect((await notes(second)).filter((note) => note.key.startsWith("budgets-held:"))).toHaveLength(1);
    expect(second.output()).toMatch(/budgets held since .* until /);
    await stopDaemon(second);
    unit.set({ activeState: "active", subState: "running", result: "success" });
  }, 60_000);
});

describe("a journal that cannot be used at start does not stop the watchdog", () => {
  const expectMovedAside = (state: string) => {
    const aside = readdirSync(state).filter((name) => name.startsWith("journal.sqlite.corrupt-"));
    expect(aside).toHaveLength(1);
    return aside[0] as string;
  };

  it("a file of random bytes is moved aside, a fresh journal started under held budgets, and the err says so", async () => {
    const state = join(host.dir, "random-state");
    mkdirSync(state);
    writeFileSync(join(state, "journal.sqlite"), randomFillSync(Buffer.alloc(64 * 1024)));
    const daemon = await start("random", state);
    expectMovedAside(state);
    expect(daemon.output()).toMatch(/journal: .*journal\.sqlite is corrupt \(.*\); moved aside to .*journal\.sqlite\.corrupt-.*, a fresh journal started/);
    const said = await notes(daemon);
    expect(said.some((note) => note.level === "err" && /is corrupt/.test(note.message))).toBe(true);
    expect(said.some((note) => note.key.startsWith("budgets-held:"))).toBe(true);
    await stopDaemon(daemon);
  }, 60_000);

  it("random bytes in the middle of a real journal are found by quick_check at start", async () => {
    const state = join(host.dir, "damaged-state");
    const first = await start("damaged-1", state);
    await stopDaemon(first);
    const file = join(state, "journal.sqlite");
    expect(statSync(file).size).toBeGreaterThan(4 * 4096);
    const fd = openSync(file, "r+");
    writeSync(fd, randomFillSync(Buffer.alloc(2 * 4096)), 0, 2 * 4096, 2 * 4096);
    closeSync(fd);
    const second = await start("damaged-2", state);
    expectMovedAside(state);
    expect(second.output()).toMatch(/journal: .* is corrupt/);
    await stopDaemon(second);
  }, 60_000);

  it("a directory in the journal's place is moved aside", async () => {
    const state = join(host.dir, "dir-state");
    mkdirSync(join(state, "journal.sqlite"), { recursive: true });
    const daemon = await start("dir", state);
    expectMovedAside(state);
    expect(daemon.output()).toMatch(/journal: .*journal\.sqlite is not a regular file; moved aside/);
    await stopDaemon(daemon);
  }, 60_000);

  it("a read-only disk gives an in-memory journal for this run, said at err, and the daemon serves", async () => {
    const state = join(host.dir, "ro-state");
    const first = await start("ro-1", state);
    await stopDaemon(first);
    execFileSync("mount", ["--bind", "-o", "ro", state, state]);
    mounts.push(state);
    const second = await start("ro-2", state);
    expect(second.output()).toMatch(/journal: .*keeping this run's journal in memory \(lost when the daemon stops\)/);
    expect(second.child.exitCode).toBeNull();
    expect((await notes(second)).some((note) => note.key.startsWith("budgets-held:"))).toBe(true);
    await stopDaemon(second);
  }, 60_000);
});

describe("a journal damaged while the daemon runs", () => {
  it("is found by the periodic quick_check: said at err, the daemon exits 1 for systemd to restart it, and the next start moves the file aside", async () => {
    const state = join(host.dir, "running-damage-state");
    // A first run leaves every table in the file itself (a clean stop checkpoints the WAL).
    await stopDaemon(await start("running-damage-first", state));
    // journal.pruneEvery at its minimum: the check runs a minute after start, then every minute.
    const daemon = await start("running-damage", state, "timing: { tick: 1s }\njournal: { pruneEvery: 1m }\n");
    const file = join(state, "journal.sqlite");
    // Random bytes over every page but the first (the header): beyond the few pages the daemon has
    // written since its start (in the WAL), the tables are garbage to any reader.
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(4 * 4096);
    const fd = openSync(file, "r+");
    writeSync(fd, randomFillSync(Buffer.alloc(size - 4096)), 0, size - 4096, 4096);
    closeSync(fd);
    const code = await Promise.race([daemon.exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 100_000))]);
    expect(code).toBe(1);
    expect(daemon.output()).toMatch(/journal .*journal\.sqlite is corrupt \(.+\): restarting the daemon, whose start-up moves it aside and starts a fresh one/);
    const next = await start("running-damage-next", state);
    expect(readdirSync(state).filter((name) => name.startsWith("journal.sqlite.corrupt-"))).toHaveLength(1);
    await stopDaemon(next);
  }, 150_000);
});

describe("a disk that fills up while the daemon runs", () => {
  it("is said at err, in /healthz, status and STATUS=; pause still works; the watchdog stays fed; it heals when space returns", async () => {
    const state = join(host.dir, "full-state");
    mkdirSync(state);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", state]);
    mounts.push(state);
    const notifyPath = join(host.dir, "notify.sock");
    const receiver = spawn("python3", [receiverScript, notifyPath], { stdio: ["ignore", "pipe", "inherit"] });
    const datagrams: string[] = [];
    let buffered = "";
    receiver.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let at = buffered.indexOf("\n"); at >= 0; at = buffered.indexOf("\n")) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        if (line !== "listening") datagrams.push(JSON.parse(line) as string);
      }
    });
    await until("the notify receiver", () => (existsSync(notifyPath) ? true : undefined));
    try {
      const daemon = await start("full", state, "timing: { tick: 1s }\n", { NOTIFY_SOCKET: notifyPath, WATCHDOG_USEC: "2000000" });
      // Fill the disk, then make the k3s reading change every 300 ms so every iteration must write.
      const filler = join(state, "filler");
      try {
        writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
      } catch {
        // ENOSPC: the disk is full, which is the point
      }
      let flip = false;
      const flipper = setInterval(() => {
        flip = !flip;
        unit.set(flip ? { activeState: "activating", subState: "start", inactiveExitAt: Date.now() } : { activeState: "active", subState: "running" });
      }, 300);
      const health = await until("/healthz to say the loop fails", async () => {
        const answer = await ask(daemon.statusSock, "/healthz");
        return answer.status === 503 ? answer.body : undefined;
      }, 30_000);
      expect(health).toMatchObject({ ok: false, trouble: { restartHelps: false } });
      expect(health.trouble.failures).toBeGreaterThanOrEqual(3);
      expect(health.trouble.lastError).toMatch(/SQLITE_FULL|disk is full/);
      const status = (await ask(daemon.statusSock, "/v1/status")).body;
      expect(status.trouble.failures).toBeGreaterThanOrEqual(3);
      expect(daemon.output()).toMatch(/iterations failing \(3 in a row\): .*no remedy is taken while they fail; a restart would not help, so the watchdog is kept fed/);
      // STATUS= goes out through a systemd-notify process: give it its moment.
      await until("STATUS=trouble to reach the notify socket", () => (datagrams.some((datagram) => /^STATUS=trouble: iterations failing \(3 in a row\)/m.test(datagram)) ? true : undefined), 10_000);
      const said = execFileSync(process.execPath, [await builtCli(process.cwd()), "status", "--socket", daemon.statusSock], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      expect(said).toMatch(/Trouble: \d+ iterations failed in a row: .*(SQLITE_FULL|disk is full).*; no remedy is taken/);
      // The watchdog is still fed: a restart would not free the disk.
      const fedBefore = datagrams.filter((datagram) => datagram.includes("WATCHDOG=1")).length;
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(datagrams.filter((datagram) => datagram.includes("WATCHDOG=1")).length).toBeGreaterThan(fedBefore);
      const pause = await ask(daemon.controlSock, "/v1/pause", { method: "POST", body: { duration: "10m", reason: "freeing the disk" } });
      expect(pause.status).toBe(200);
      expect(pause.body.paused.warning).toMatch(/^pause applied in memory only: the journal could not record it \(.*\); it will not survive a daemon restart$/);

      unlinkSync(filler);
      await until("/healthz to be ok again", async () => ((await ask(daemon.statusSock, "/healthz")).status === 200 ? true : undefined), 30_000);
      clearInterval(flipper);
      unit.set({ activeState: "active", subState: "running" });
      expect(daemon.output()).toMatch(/iterations work again after \d+ failures/);
      expect((await ask(daemon.statusSock, "/v1/status")).body.trouble).toBeNull();
      await stopDaemon(daemon);
    } finally {
      receiver.kill("SIGKILL");
      rmSync(notifyPath, { force: true });
    }
  }, 90_000);
});
