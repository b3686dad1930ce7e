// The built daemon refuses a config a local user or a typo made dangerous: a killall script others
// can rewrite, a relative program name, budgets turned off by a zero window, a tick Node would turn
// into 1 ms, a registry URL that is not http(s) to this machine. Each exits 78 (EX_CONFIG, which the
// unit does not restart) with the key and the reason, before anything runs.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";

let cli: string;
const dir = mkdtempSync(join(tmpdir(), "swd-hostile-config-"));

function run(configText: string): Promise<{ code: number | null; stderr: string; stateMade: boolean }> {
  const case_ = mkdtempSync(join(dir, "case-"));
  const config = join(case_, "config.yaml");
  writeFileSync(config, configText);
  const child = spawn(process.execPath, [cli, "run", "--config", config, "--state-dir", join(case_, "state"), "--runtime-dir", join(case_, "run")], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stdout.on("data", (chunk) => (stderr += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((resolve) => child.once("exit", (code) => {
    clearTimeout(timer);
    resolve({ code, stderr, stateMade: existsSync(join(case_, "state")) });
  }));
}

beforeAll(async () => {
  cli = await builtCli(process.cwd());
}, 200_000);

describe("a hostile or silly config is refused by the built daemon with exit 78", () => {
  it("a killall script that others can write is never run as root: the daemon does not start", async () => {
    const bin = join(dir, "bin");
    mkdirSync(bin, { mode: 0o755 });
    const script = join(bin, "k3s-killall.sh");
    writeFileSync(script, "#!/bin/sh\nexit 0\n");
    chmodSync(script, 0o757);
    const result = await run(`k3s: { killall: ${script} }\n`);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`k3s.killall: refusing to run ${script} as root: ${script} (file) is writable by others (mode 0757)`);
    expect(result.stateMade).toBe(false);
  });

  it("a program named without a path (looked up on PATH) is refused", async () => {
    const result = await run("k3s: { journalctl: journalctl }\n");
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("k3s.journalctl: refusing to run journalctl as root: journalctl is not an absolute path");
  });

  it.each([
    ["budgets: { restartK3s: { window: 0 }, killallK3s: { window: 0 } }\ntiming: { k3sHoldOff: 0, verify: { restartK3s: 0, killallK3s: 0 } }\n", "budgets.restartK3s.window: must be between 1m and 7d (got 0)"],
    ["budgets: { restartK3s: { max: 1000000000 } }\n", "budgets.restartK3s.max: must be between 0 and 20"],
    ["timing: { tick: 1000000000000 }\n", "timing.tick: must be between 100ms and 5m"],
    ["timing: { probeTimeout: 0 }\n", "timing.probeTimeout: must be between 100ms and 2m"],
    ["journal: { pruneEvery: 0 }\n", "journal.pruneEvery: must be between 1m and 1d"],
    ["registry: { endpoint: \"file:///etc/shadow\" }\n", "registry.endpoint: must be an http:// or https:// URL, not file:"],
    ["registry: { endpoint: \"javascript:alert(1)\" }\n", "registry.endpoint: must be an http:// or https:// URL, not javascript:"],
    ["registry: { endpoint: \"http://0.0.0.0:5000\" }\n", "registry.endpoint: must name this machine"],
  ])("%j is refused", async (text, message) => {
    const result = await run(text);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(message);
    expect(result.stateMade).toBe(false);
  });
});
