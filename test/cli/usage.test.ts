// The command line as a script sees it: usage errors exit 64 (never 1, which `check` uses for
// unhealthy), checked by the CLI itself so they hold when no daemon runs; `config check` exits 0 or
// 78 without probing; `config show` prints a config that reads back as the effective one.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { builtCli } from "../e2e/built-cli.js";

let cli = "";
const dir = mkdtempSync(join(tmpdir(), "swd-usage-"));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // RUNTIME_DIRECTORY points at an empty directory: no daemon answers there.
    execFile(process.execPath, [cli, ...args], { timeout: 30_000, env: { ...process.env, RUNTIME_DIRECTORY: dir, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const widest = (text: string) => Math.max(...text.split("\n").map((line) => Buffer.byteLength(line)));

beforeAll(async () => {
  cli = await builtCli(process.cwd());
}, 180_000);

describe("usage errors exit 64, also when no daemon runs", () => {
  it.each([
    [["check", "--jsno"], "unknown option '--jsno'"],
    [["pause", "--for", "banana", "--reason", "x"], "argument 'banana' is invalid"],
    [["history", "--since", "yesterday"], "argument 'yesterday' is invalid"],
    [["history", "--limit", "-1"], "argument '-1' is invalid"],
    [["boots", "--limit", "1001"], "argument '1001' is invalid"],
    [["history", "--kind", "actions"], "argument 'actions' is invalid"],
    [["run", "--log-format", "xml"], "argument 'xml' is invalid"],
    [["frobnicate"], "unknown command 'frobnicate'"],
  ])("songnodes-watchdog %j → 64", async (args, said) => {
    const result = await run(...args);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe("");
    expect(result.stderr.replace(/\n +/g, " ")).toContain(said);
    expect(widest(result.stderr)).toBeLessThanOrEqual(80);
  });

  it("a well-formed request with no daemon is 69, not 64", async () => {
    const result = await run("history", "--since", "2h", "--limit", "5");
    expect(result.code).toBe(69);
    // Wrapped to 80 columns: read as one line again.
    expect(result.stderr.replace(/\n  /g, " ")).toBe(`songnodes-watchdog is not running (no answer on ${join(dir, "status.sock")})\n`);
    expect(widest(result.stderr)).toBeLessThanOrEqual(80);
  });

  it("--help and --version exit 0", async () => {
    expect((await run("--version")).code).toBe(0);
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(widest(help.stdout)).toBeLessThanOrEqual(80);
    // check and check-now are told apart.
    expect(help.stdout.replace(/\n +/g, " ")).toMatch(/check \[options\] +look at the node once, without the daemon/);
    expect(help.stdout.replace(/\n +/g, " ")).toMatch(/check-now \[options\] +ask the running daemon to look now/);
  });
});

describe("help fits 80 columns", () => {
  it.each([["run"], ["check"], ["status"], ["history"], ["boots"], ["pause"], ["resume"], ["check-now"], ["config"], ["config", "check"], ["config", "show"], ["simulate"]])("songnodes-watchdog %s --help", async (...command) => {
    const help = await run(...command, "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: songnodes-watchdog");
    expect(widest(help.stdout)).toBeLessThanOrEqual(80);
  });
});

describe("config check and config show", () => {
  it("a valid file: exit 0 and ok", async () => {
    const file = join(dir, "valid.yaml");
    writeFileSync(file, "dryRun: true\ntiming:\n  k3sHoldOff: 45s\n");
    expect(await run("config", "check", "--config", file)).toEqual({ code: 0, stdout: `${file}: ok\n`, stderr: "" });
  });

  it("an empty file says there are no settings and the defaults are used", async () => {
    const file = join(dir, "empty.yaml");
    writeFileSync(file, "");
    expect(await run("config", "check", "--config", file)).toEqual({ code: 0, stdout: `${file}: no settings: using the defaults\n`, stderr: "" });
    writeFileSync(file, "# only a comment\n");
    expect((await run("config", "check", "--config", file)).stdout).toBe(`${file}: no settings: using the defaults\n`);
  });

  it("an invalid file: exit 78 naming the key and the value; a missing named file: 78", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "timing:\n  tick: banana\n");
    const bad = await run("config", "check", "--config", file);
    expect(bad.code).toBe(78);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("timing.tick");
    expect(bad.stderr).toContain('"banana"');
    expect((await run("config", "check", "--config", join(dir, "nowhere.yaml"))).code).toBe(78);
  });

  it("show prints every default, durations as a person writes them, and reads back as the same config", async () => {
    const file = join(dir, "some.yaml");
    writeFileSync(file, "namespace: music\nbudgets:\n  restartK3s: { max: 2, window: 90m }\n");
    const shown = await run("config", "show", "--config", file);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("  k3sStartBudget: 1m30s\n");
    expect(shown.stdout).toContain("    window: 1h30m\n");
    expect(shown.stdout).toContain("namespace: music\n");
    expect(parseConfig(parseYaml(shown.stdout))).toEqual(loadConfig(file));
    expect(widest(shown.stdout)).toBeLessThanOrEqual(80);
  });
});
