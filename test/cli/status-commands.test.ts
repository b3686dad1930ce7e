// The CLI against a real daemon socket (the fake source's): human output shaped like systemctl
// status, --json, colour only on a terminal, pause that survives a restart and ends by itself, and
// a clear message with exit 69 when no daemon answers.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerStatusCommands } from "../../src/cli/status-commands.js";
import { BOOT_ID, startHarness, type Harness } from "../status/harness.js";

const ANSI = /\u001b\[/;

/** Run `songnodes-watchdog <args>` in-process with captured output; env defaults to the harness's runtime dir. */
async function cli(args: string[], options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = "";
  let stderr = "";
  let code = 0;
  const program = new Command("songnodes-watchdog").exitOverride().configureOutput({ writeErr: (text) => void (stderr += text), writeOut: (text) => void (stdout += text) });
  registerStatusCommands(program, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? { RUNTIME_DIRECTORY: h.runtimeDir },
    setExitCode: (c) => void (code = c),
  });
  try {
    await program.parseAsync(["node", "songnodes-watchdog", ...args]);
  } catch (error) {
    // As src/cli.ts does: a usage error exits 64 before any socket is asked.
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 64;
  }
  return { code, stdout, stderr };
}

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.cleanup();
});

describe("songnodes-watchdog status", () => {
  it("puts the essentials first, like systemctl status, without colour when not on a terminal", async () => {
    const { code, stdout, stderr } = await cli(["status"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("● songnodes-watchdog — healthy: every probe ok");
    expect(lines[1]).toMatch(/^ {6}Phase: healthy since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(/);
    expect(stdout).toContain(`Boot: ${BOOT_ID.slice(0, 8)}, booted`);
    expect(stdout).toContain("not healthy yet");
    expect(stdout).toContain("     Paused: no");
    expect(stdout).toContain("    Dry-run: no");
    expect(stdout).toContain("     Ladder: idle");
    expect(stdout).toContain("version 0.1.0-test, up");
    expect(stdout).toMatch(/● k3sUnit +ok +k3s\.service is active \(running\)/);
    expect(stdout).toContain("restart-k3s       0/3 used in the last 1h, 3 left");
    expect(stdout).not.toMatch(ANSI);
  });

  it("colours on a terminal, and not when NO_COLOR is set", async () => {
    const tty = await cli(["status"], { tty: true });
    expect(tty.stdout).toMatch(ANSI);
    expect(tty.stdout).toContain("\u001b[32m●\u001b[39m songnodes-watchdog");
    const noColour = await cli(["status"], { tty: true, env: { RUNTIME_DIRECTORY: h.runtimeDir, NO_COLOR: "1" } });
    expect(noColour.stdout).not.toMatch(ANSI);
  });

  it("prints the daemon's JSON with --json", async () => {
    const { code, stdout } = await cli(["status", "--json", "--socket", h.server.statusPath]);
    expect(code).toBe(0);
    const body = JSON.parse(stdout);
    expect(body).toMatchObject({ phase: "healthy", bootId: BOOT_ID, pause: null, dryRun: false });
    expect(Object.keys(body.probes)).toHaveLength(7);
  });

  it("says the daemon is not running and exits 69 when nothing answers", async () => {
    const missing = join(h.dir, "nowhere", "status.sock");
    const { code, stdout, stderr } = await cli(["status", "--socket", missing]);
    expect(code).toBe(69);
    expect(stdout).toBe("");
    // Wrapped to 80 columns when the path is long: read as one line again.
    expect(stderr.replace(/\n  /g, " ")).toBe(`songnodes-watchdog is not running (no answer on ${missing})\n`);
    for (const line of stderr.split("\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(80);
  });

  it("says the daemon is not running when only a stale socket is left (exit 69)", async () => {
    const stale = join(h.dir, "stale.sock");
    const child = spawn(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(stale)}, () => console.log("up"))`]);
    await new Promise((resolve) => child.stdout.once("data", resolve));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const { code, stderr } = await cli(["status", "--socket", stale]);
    expect(code).toBe(69);
    expect(stderr).toContain("is not running");
  });
});

describe("songnodes-watchdog pause and resume", () => {
  it("pauses through control.sock, shows it in status and history, and resumes", async () => {
    const paused = await cli(["pause", "--for", "30m", "--reason", "kernel upgrade"], { env: { RUNTIME_DIRECTORY: h.runtimeDir, SUDO_USER: "alice" } });
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^Paused until .+ \(in 30m\): kernel upgrade\n$/);
    const status = await cli(["status"]);
    expect(status.stdout.split("\n")[0]).toBe("● songnodes-watchdog — healthy: every probe ok; remedies are paused");
    // Long values wrap under themselves (80 columns): read the text unwrapped.
    expect(status.stdout.replace(/\n +/g, " ")).toMatch(/Paused: until .+ \(in 30m\) — kernel upgrade \(by alice \(cli\)\)/);
    const history = await cli(["history", "--kind", "pause"]);
    expect(history.stdout.replace(/\n +/g, " ")).toContain("kernel upgrade");
    const resumed = await cli(["resume", "--reason", "upgrade done"]);
    expect(resumed).toMatchObject({ code: 0, stdout: "Resumed: the watchdog acts again.\n" });
    expect((await cli(["status"])).stdout.split("\n")[0]).toBe("● songnodes-watchdog — healthy: every probe ok");
  });

  it("survives a daemon restart and ends by itself when its time is up", async () => {
    expect((await cli(["pause", "--for", "30m", "--reason", "disk swap"])).code).toBe(0);
    await h.stop();
    // While the daemon is down the CLI says so rather than crashing.
    expect((await cli(["status"])).code).toBe(69);
    await h.restart();
    const after = JSON.parse((await cli(["status", "--json"])).stdout);
    expect(after).toMatchObject({ phase: "paused", pause: { reason: "disk swap" } });
    h.clock.advance(31 * 60_000);
    const expired = JSON.parse((await cli(["status", "--json"])).stdout);
    expect(expired.phase).toBe("healthy");
    expect(expired.pause).toBeNull();
  });

  it("refuses a pause with a bad duration with exit 64 and the reason, before asking the daemon", async () => {
    const { code, stderr } = await cli(["pause", "--for", "soon", "--reason", "x"]);
    expect(code).toBe(64);
    expect(stderr).toContain(`option '--for <duration>' argument 'soon' is invalid. a duration between 1s and 7d`);
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
  });

  it("requests an immediate check with check-now", async () => {
    expect((await cli(["check-now", "--reason", "after the fix"])).code).toBe(0);
    expect(h.source.checks).toEqual([{ reason: "after the fix", by: expect.stringContaining("(cli)") }]);
  });
});

describe("songnodes-watchdog history and boots", () => {
  it("lists history newest first, one line an entry, and as JSON", async () => {
    const now = h.clock.now();
    h.journal.recordPhase("waiting-for-api", "healthy", now + 1_000, "everything ok");
    h.journal.recordNote("err", "gave-up", "restart budget spent", now + 2_000);
    const human = await cli(["history", "--limit", "2"]);
    // One entry a line; a long one wraps under its summary (80 columns): read it unwrapped.
    const lines = human.stdout.trim().replace(/\n +/g, " ").split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}note +err: restart budget spent$/);
    expect(lines[1]).toContain("phase waiting-for-api → healthy");
    const json = JSON.parse((await cli(["history", "--json", "--kind", "phase"])).stdout);
    expect(json.entries.map((e: { kind: string }) => e.kind)).toEqual(["phase"]);
  });

  it("lists boots with their time to healthy", async () => {
    h.journal.markBootHealthy(BOOT_ID, h.clock.now() + 252_000);
    const { stdout } = await cli(["boots"]);
    expect(stdout.split("\n")[0]).toMatch(/^BOOT +FIRST SEEN +TIME TO HEALTHY$/);
    expect(stdout).toMatch(new RegExp(`${BOOT_ID} +\\S+ \\S+ +4m1[2-3]s`));
  });
});
