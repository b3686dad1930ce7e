// `run --log-format text` is for a person watching the daemon in the foreground, also through a
// pipe (`run … | tee`, `| less`): the lines must then be text, not pino's JSON. The built daemon runs
// here on a fake host with its stdout a pipe and no journald, which without the flag means JSON.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";
import { createFakeUnit } from "../systemd/fake-unit.js";
import { ask, stopDaemon, startFakeHost, until, type BuiltDaemon, type FakeHost } from "../daemon/built-daemon.js";

let host: FakeHost;
let cli = "";

beforeAll(async () => {
  cli = await builtCli(process.cwd());
  host = await startFakeHost([createFakeUnit("k3s.service")]);
}, 200_000);

afterAll(async () => {
  await host?.close();
});

/** Run the daemon with stdout a pipe until its status socket answers, then stop it; its stdout. */
async function foreground(name: string, flags: string[]): Promise<string> {
  const config = join(host.dir, `${name}.yaml`);
  writeFileSync(config, `${host.baseConfig}\ntiming: { tick: 1s }\n`);
  const runtimeDir = join(host.dir, `${name}-run`);
  // No JOURNAL_STREAM: stdout is a plain pipe, not journald.
  const { JOURNAL_STREAM: _journal, ...env } = process.env;
  const child = spawn(process.execPath, [cli, "run", "--config", config, "--state-dir", join(host.dir, `${name}-state`), "--runtime-dir", runtimeDir, ...flags], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, NO_COLOR: "1" },
  });
  let stdout = "";
  let all = "";
  child.stdout?.on("data", (chunk) => ((stdout += chunk), (all += chunk)));
  child.stderr?.on("data", (chunk) => (all += chunk));
  const daemon: BuiltDaemon = {
    child, statusSock: join(runtimeDir, "status.sock"), controlSock: join(runtimeDir, "control.sock"), output: () => all,
    exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
  try {
    await until(`the daemon's status socket (${all})`, async () => ((await ask(daemon.statusSock, "/v1/status")).status === 200 ? true : undefined), 60_000);
    // At least one iteration logged after the socket is up.
    await until("a log line", () => (stdout.split("\n").filter(Boolean).length >= 2 ? true : undefined), 20_000);
  } finally {
    await stopDaemon(daemon);
  }
  return stdout;
}

describe("run --log-format with stdout piped", () => {
  it("text: every line is a time, a level and a message a person reads, none of it JSON", async () => {
    const stdout = await foreground("text", ["--log-format", "text"]);
    const lines = stdout.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR|DEBUG|FATAL) \S/);
      expect(line.startsWith("{")).toBe(false);
      expect(line).not.toMatch(/"(level|msg|time)":/);
      // No colour codes in a pipe.
      expect(line).not.toContain("\u001b[");
    }
    // The message is in words, e.g. the start line names the daemon.
    expect(stdout).toMatch(/INFO  songnodes-watchdog started/);
  }, 120_000);

  it("without the flag the same pipe gets JSON, so the flag is what made it text", async () => {
    const stdout = await foreground("json", []);
    const lines = stdout.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  }, 120_000);
});
