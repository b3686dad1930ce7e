// What the CLI says when something is wrong fits a terminal too: an unknown scenario does not
// print the whole catalog on one line, and an invalid config, scenario file or socket path is
// wrapped. Each case runs the built CLI with no daemon and checks its exit code, that the message
// still says what matters, and that every line of stdout and stderr is at most 80 columns.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";

let cli = "";
const dir = mkdtempSync(join(tmpdir(), "swd-error-widths-"));
// A path as long as real ones get: the messages name it, and it must wrap, not run off.
const deep = join(dir, "etc", "songnodes-watchdog", "a-directory-with-a-rather-long-name-for-testing");
mkdirSync(deep, { recursive: true });
const badConfig = join(deep, "config.yaml");
writeFileSync(badConfig, "maintenance:\n  timezone: Mars/Olympus_Mons_Central\n");
const badYaml = join(deep, "broken.yaml");
writeFileSync(badYaml, "timing: [\n  tick: 5s\n");
const badScenario = join(deep, "bad-scenario.yaml");
writeFileSync(badScenario, "name: bad\ndescription: a scenario with a fault no one knows\nrunbook: none\nduration: 5m\nfaults:\n  - { at: 1m, fault: a-fault-that-does-not-exist-in-the-simulated-node }\n");

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 60_000, env: { ...process.env, RUNTIME_DIRECTORY: dir, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const widest = (text: string) => Math.max(0, ...text.split("\n").map((line) => Buffer.byteLength(line)));
// The message as one line again, to look for what it must say wherever it was wrapped.
const unwrapped = (text: string) => text.replace(/\n +/g, " ");

beforeAll(async () => {
  cli = await builtCli(process.cwd());
}, 180_000);

describe("error messages fit 80 columns", () => {
  it.each([
    [["simulate", "--scenario", "nope"], 64, "no scenario named nope; `simulate --list` lists the"],
    [["simulate", "--scenario", "k3s-keeps-failing"], 64, "`simulate --list` lists the"],
    [["simulate", "--scenario", "registry"], 64, "(similar: "],
    [["simulate", "--scenario", badScenario], 64, "faults"],
    [["simulate", "--scenario", join(deep, "no-such-scenario-file.yaml")], 64, "no scenario file"],
    [["config", "check", "--config", badConfig], 78, 'maintenance.timezone: not a time zone this Node.js knows'],
    [["config", "show", "--config", badConfig], 78, '(got "Mars/Olympus_Mons_Central")'],
    [["config", "check", "--config", badYaml], 78, "not valid YAML"],
    [["config", "check", "--config", join(deep, "missing.yaml")], 78, "cannot read"],
    [["check", "--config", badConfig], 78, "maintenance.timezone"],
    [["audit", "--config", badConfig], 78, "maintenance.timezone"],
    [["notify", "test", "--config", badConfig], 78, "maintenance.timezone"],
    [["status", "--socket", join(dir, "etc", "songnodes-watchdog", "status.sock")], 69, "songnodes-watchdog is not running"],
    [["status", "--socket", join(deep, "status.sock")], 64, "bytes, longer than the 107 a unix socket's path can be"],
  ])("songnodes-watchdog %j", async (args, code, said) => {
    const result = await run(...args);
    expect(result.code, result.stderr).toBe(code);
    expect(unwrapped(result.stderr)).toContain(said);
    expect(widest(result.stderr), result.stderr).toBeLessThanOrEqual(80);
    expect(widest(result.stdout), result.stdout).toBeLessThanOrEqual(80);
  });
});
