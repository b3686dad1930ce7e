// `songnodes-watchdog notify test`, as it ships (dist/): a test event through every channel, each
// outcome printed, the exit code saying whether all were delivered.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";
import { startReceiver, type Receiver } from "./receiver.js";

// The CLI wraps its messages to 80 columns: read them as one line.
const unwrapped = (text: string): string => text.replace(/\s*\n\s*/g, " ");

let cli: string;
let ok: Receiver;
let failing: Receiver;
const dir = mkdtempSync(join(tmpdir(), "swd-notify-cli-"));
const fixtures = join(process.cwd(), "test", "notifications", "fixtures");

function notifyTest(configText: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const config = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(config, configText);
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, "notify", "test", "--config", config], { timeout: 30_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  cli = await builtCli(process.cwd());
  ok = await startReceiver("ok");
  failing = await startReceiver("fail-500");
}, 200_000);
afterAll(async () => {
  await ok?.close();
  await failing?.close();
});

describe("notify test", () => {
  it("sends one test event through every channel and exits 0 when all delivered", async () => {
    writeFileSync(join(dir, "token"), "tk_test\n");
    const result = await notifyTest([
      "notifications:",
      "  channels:",
      `    - { type: webhook, name: hook, url: "${ok.url}/hook", token: { file: ${join(dir, "token")} } }`,
      `    - { type: ntfy, name: phone, url: "${ok.url}/alerts", severities: [critical] }`,
      `    - { type: command, name: script, command: [${join(fixtures, "record-event.sh")}, ${join(dir, "got")}] }`,
    ].join("\n"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^delivered +hook +webhook +HTTP 200$/);
    expect(lines[1]).toMatch(/^delivered +phone +ntfy +HTTP 200$/);
    expect(lines[2]).toMatch(/^delivered +script +command +exit 0$/);
    expect(lines[3]).toMatch(/^all 3 channel\(s\) delivered event swd-test-[0-9a-f]{20}$/);
    const id = lines[3]!.split(" ").pop();
    expect(ok.requests.filter((r) => r.headers["x-songnodes-event-id"] === id).map((r) => r.path).sort()).toEqual(["/", "/hook"]);
    expect(result.stdout).not.toContain("tk_test");
  });

  it("exits 1 naming the channel that failed, and why", async () => {
    const result = await notifyTest([
      "notifications:",
      "  channels:",
      `    - { type: webhook, name: good, url: "${ok.url}/hook" }`,
      `    - { type: webhook, name: broken, format: slack, url: "${failing.url}/hook" }`,
    ].join("\n"));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED +broken +webhook +HTTP 500: internal error$/m);
    expect(result.stdout).toMatch(/^1 of 2 channel\(s\) failed$/m);
  });

  it("exits 78 when a secret cannot be read, naming the key and the file", async () => {
    const result = await notifyTest(`notifications:\n  channels:\n    - { type: webhook, name: s, format: slack, urlFrom: { credential: slack-url } }\n`, { CREDENTIALS_DIRECTORY: dir });
    expect(result.code).toBe(78);
    expect(unwrapped(result.stderr)).toContain(`notifications.channels.0.urlFrom: cannot read ${join(dir, "slack-url")}: ENOENT`);
  });

  it("exits 1 and says so when no channel is configured", async () => {
    const result = await notifyTest("dryRun: false\n");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("no notification channel is configured");
  });
});
