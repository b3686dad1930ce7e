// The built daemon's sockets against local users: a runtime directory others can write or that is a
// symlink is refused, a planted control.sock never gets root's pause, 500 slow connections or a flood
// of history requests do not starve a real client, the CLI says "busy" (75) and not "not running"
// (69) when the daemon took the connection but gave no answer, and pause durations are validated.
import { execFile, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";
import { createFakeUnit } from "../systemd/fake-unit.js";
import { ask, spawnDaemon, startFakeHost, stopDaemon, until, type BuiltDaemon, type FakeHost } from "./built-daemon.js";

// The CLI wraps its messages to 80 columns: read them as one line.
const unwrapped = (text: string): string => text.replace(/\s*\n\s*/g, " ");

const NOBODY = 65534;
let host: FakeHost;
let cli: string;
const daemons: BuiltDaemon[] = [];

function configFile(name: string, extra = ""): string {
  const path = join(host.dir, `${name}.yaml`);
  writeFileSync(path, `${host.baseConfig}\ntiming: { tick: 1s }\n${extra}`);
  return path;
}

async function start(name: string, runtimeDir: string): Promise<BuiltDaemon> {
  const daemon = await spawnDaemon({ config: configFile(name), stateDir: join(host.dir, `${name}-state`), runtimeDir });
  daemons.push(daemon);
  return daemon;
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  cli = await builtCli(process.cwd());
  host = await startFakeHost([createFakeUnit("k3s.service")]);
  chmodSync(host.dir, 0o755);
}, 200_000);

afterAll(async () => {
  for (const daemon of daemons) await stopDaemon(daemon);
  await host?.close();
});

describe("a runtime directory others could use against root", () => {
  it.each([
    ["a symlink to another directory", (dir: string) => {
      const target = join(host.dir, "symlink-target");
      mkdirSync(target, { mode: 0o755 });
      symlinkSync(target, dir);
      return target;
    }, /runtime directory .* is a symlink; refusing to follow it/],
    ["a pre-existing directory anyone can write (0777)", (dir: string) => {
      mkdirSync(dir);
      chmodSync(dir, 0o777);
      return dir;
    }, /runtime directory .* is writable by others \(mode 0777\)/],
    ["a directory a local user owns", (dir: string) => {
      mkdirSync(dir, { mode: 0o755 });
      chownSync(dir, NOBODY, NOBODY);
      return dir;
    }, /runtime directory .* is owned by uid 65534, not root/],
  ])("%s is refused: no socket is made there, the err says why, and the watchdog keeps running", async (what, prepare, said) => {
    const name = `dir-${what.split(" ")[1]}`;
    const runtimeDir = join(host.dir, `${name}-run`);
    const where = prepare(runtimeDir);
    const daemon = await start(name, runtimeDir);
    await until("the refusal in the log", () => (said.test(daemon.output()) ? true : undefined));
    expect(daemon.output()).toMatch(/not serving status\.sock and control\.sock: .*the watchdog keeps protecting the node/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(daemon.child.exitCode).toBeNull();
    expect(readdirSync(where)).toEqual([]);
    await stopDaemon(daemon);
  });

  it("the sockets it makes in a proper directory are root's, 0660 and 0600, made so at bind time", async () => {
    const runtimeDir = join(host.dir, "proper-run");
    const daemon = await start("proper", runtimeDir);
    await until("status.sock", () => (existsSync(daemon.controlSock) ? true : undefined));
    expect((lstatSync(daemon.statusSock).mode & 0o777).toString(8)).toBe("660");
    expect((lstatSync(daemon.controlSock).mode & 0o777).toString(8)).toBe("600");
    expect(lstatSync(daemon.controlSock).uid).toBe(0);
    await stopDaemon(daemon);
  });
});

describe("the CLI checks a socket is root's before it sends anything", () => {
  async function plant(dirMode: number, socketOwner: number) {
    const dir = join(host.dir, `planted-${dirMode.toString(8)}-${socketOwner}`);
    mkdirSync(dir);
    chmodSync(dir, dirMode);
    const path = join(dir, "control.sock");
    const received: string[] = [];
    const server: Server = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      response.end(JSON.stringify({ paused: { until: 1, reason: "spoofed", at: 1, by: "mallory" } }));
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    lchownSync(path, socketOwner, socketOwner);
    return { path, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("a control.sock planted by a local user does not get root's pause: refused, exit 69, nothing sent", async () => {
    const planted = await plant(0o755, NOBODY);
    const result = await runCli(["pause", "--for", "30m", "--reason", "kernel upgrade", "--socket", planted.path]);
    expect(result.code).toBe(69);
    expect(unwrapped(result.stderr)).toContain(`not asking ${planted.path}: it is owned by uid ${NOBODY}, not root`);
    expect(result.stdout).toBe("");
    expect(planted.received).toEqual([]);
    await planted.close();
  });

  it("a root socket in a directory others can write is not trusted either", async () => {
    const planted = await plant(0o777, 0);
    const result = await runCli(["status", "--socket", planted.path]);
    expect(result.code).toBe(69);
    expect(unwrapped(result.stderr)).toMatch(/not asking .*: its directory .* is writable by others \(mode 0777\)/);
    expect(planted.received).toEqual([]);
    await planted.close();
  });
});

describe("the status socket cannot be starved", () => {
  let daemon: BuiltDaemon;
  beforeAll(async () => {
    daemon = await start("starve", join(host.dir, "starve-run"));
    await until("status.sock", () => ask(daemon.statusSock, "/healthz").then((answer) => (answer.status === 200 ? true : undefined)));
  }, 60_000);

  // A real client arrives now: a fresh connection for each request (the test's own kept-alive
  // connection from before the attack was admitted long ago and would prove nothing), spread over
  // a few seconds so that the attackers' connections are cut and reopened meanwhile; then the CLI.
  async function realClient(): Promise<(number | string)[]> {
    const answers: (number | string)[] = [];
    for (let i = 0; i < 20; i++) {
      answers.push(await ask(daemon.statusSock, "/v1/status", { newConnection: true }).then((answer) => answer.status, (error: NodeJS.ErrnoException) => error.code ?? error.message));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const cli = await runCli(["status", "--json", "--socket", daemon.statusSock]);
    answers.push(cli.code === 0 ? 200 : `cli exit ${cli.code}: ${cli.stderr.trim()}`);
    return answers;
  }

  it("500 slowloris connections from another process, dribbling a header and reopened whenever cut, do not keep a real client out", async () => {
    const attacker = spawn(process.execPath, ["--input-type=module", "-e", `
      import { connect } from "node:net";
      const path = ${JSON.stringify(daemon.statusSock)};
      // A valid request line and the start of a header whose value never ends, one byte at a time;
      // a connection the daemon cuts is opened again at once, so 500 stay open.
      const slow = new Set();
      const open = () => {
        const socket = connect(path);
        socket.on("error", () => undefined);
        socket.on("close", () => (slow.delete(socket), setImmediate(open)));
        socket.write("GET /v1/status HTTP/1.1\\r\\nX-A: ");
        slow.add(socket);
      };
      for (let i = 0; i < 500; i++) open();
      setInterval(() => { for (const socket of slow) if (!socket.destroyed) socket.write("b"); }, 300);
      setTimeout(() => { console.log("holding"); }, 1000);
      setTimeout(() => process.exit(0), 40000);
    `], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((resolve) => attacker.stdout!.once("data", resolve));
    const answers = await realClient();
    attacker.kill("SIGKILL");
    expect(answers).toEqual(Array(21).fill(200));
  }, 60_000);

  it("2,000 concurrent requests from another process, each holding its connection open, do not keep a real client out", async () => {
    const flood = spawn(process.execPath, ["--input-type=module", "-e", `
      import { connect } from "node:net";
      const path = ${JSON.stringify(daemon.statusSock)};
      // Each client asks, never reads the answer, and keeps the connection; when cut, it comes back.
      const one = () => {
        const socket = connect(path);
        socket.on("error", () => undefined);
        socket.on("close", () => setTimeout(one, 10));
        socket.write("GET /v1/history?limit=1000 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n");
      };
      for (let i = 0; i < 2000; i++) one();
      console.log("flooding");
      setTimeout(() => process.exit(0), 40000);
    `], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((resolve) => flood.stdout!.once("data", resolve));
    // The flood's first burst of 2,000 connects fills the kernel's listen backlog for a moment (a
    // request then can wait past its timeout: the CLI says busy, 75); judged once the flood runs.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const answers = await realClient();
    flood.kill("SIGKILL");
    expect(answers).toEqual(Array(21).fill(200));
  }, 60_000);

  it("the CLI says busy (exit 75), not \"not running\" (69), when the daemon took the connection but did not answer", async () => {
    const dir = join(host.dir, "mute");
    mkdirSync(dir, { mode: 0o755 });
    const path = join(dir, "status.sock");
    const held: Socket[] = [];
    const mute = createNetServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => mute.listen(path, resolve));
    const result = await runCli(["status", "--socket", path]);
    expect(result.code).toBe(75);
    expect(unwrapped(result.stderr)).toMatch(/songnodes-watchdog is busy: it took the connection on .* but did not answer within 5s; try again/);
    for (const socket of held) socket.destroy();
    mute.close();
  }, 30_000);
});

describe("pause durations are validated at the edge", () => {
  let daemon: BuiltDaemon;
  beforeAll(async () => {
    daemon = await start("pause", join(host.dir, "pause-run"));
    await until("control.sock", () => ask(daemon.controlSock, "/healthz").then((answer) => (answer.status === 200 ? true : undefined)));
  }, 60_000);

  it.each([[0.0001], ["0.0001"], ["0.5s"], ["999ms"], [0]])("a pause of %j is refused with 400 and the reason, never a 500", async (duration) => {
    const answer = await ask(daemon.controlSock, "/v1/pause", { method: "POST", body: { duration, reason: "test" } });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toEqual([{ path: "duration", message: `a duration between 1s and 7d ("30m", "2h", or seconds): ${JSON.stringify(duration)}` }]);
  });

  it("a pause of a second and a fraction is taken, in whole milliseconds", async () => {
    const answer = await ask(daemon.controlSock, "/v1/pause", { method: "POST", body: { duration: "1.0005s", reason: "test" } });
    expect(answer.status).toBe(200);
    expect(Number.isInteger(answer.body.paused.until)).toBe(true);
    // 1000.5 ms rounds to 1001, counted from the moment the pause is recorded (`at`).
    expect(answer.body.paused.until - answer.body.paused.at).toBe(1001);
  });
});
