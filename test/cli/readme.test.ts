// Every command in README.md runs: each one in a code block is either run here, in order, against
// the built CLI and a node served the way the README serves it, or listed below with the reason it
// cannot run on a test machine; then each synopsis of the command table is run, as the commands in
// TABLE, against the same node and daemon. A command added to the README without either fails this test.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtCli } from "../e2e/built-cli.js";

const root = process.cwd();
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The commands of the README's code blocks: `sh` blocks line by line, transcripts' `$ ` lines. */
function readmeCommands(text: string): string[] {
  const commands: string[] = [];
  for (const block of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const [, lang, body = ""] = block;
    if (lang !== "sh" && lang !== "") continue;
    const lines = body.replace(/\\\n\s*/g, " ").split("\n");
    // A block with a "$ " prompt is a transcript: its other lines are output.
    const transcript = lang === "" || lines.some((line) => line.startsWith("$ "));
    for (const raw of lines) {
      const line = !transcript ? raw : raw.startsWith("$ ") ? raw.slice(2) : "";
      const command = line.replace(/^\$ /, "").replace(/\s+#\s.*$/, "").trim();
      // "a && b" are two commands, each run or skipped on its own.
      if (command !== "" && !command.startsWith("#")) commands.push(...command.split(" && "));
    }
  }
  return commands;
}

// What cannot run on a test machine, and why. Each entry must match a README command.
const NOT_HERE: [RegExp, string][] = [
  [/^npm ci$/, "installs packages (the suite runs on the installed ones)"],
  [/^npm test$/, "this suite is part of it"],
  [/^npm run build$/, "the suite builds before it runs"],
  [/^npm run package$/, "builds the .deb (minutes, and the npm registry); test/system builds it and installs it in a container"],
  [/^apt install \.\/songnodes-watchdog_[\w.~+-]+_amd64\.deb$/, "installs on the machine; test/system installs the .deb in a container"],
  [/^systemctl /, "needs the machine's systemd (test/system runs the unit under a real one)"],
  [/^songnodes-watchdog check$/, "needs a real k3s node; check against a served node is test/cli/check.test.ts"],
  [/^journalctl -u songnodes-watchdog -f$/, "follows the journal forever"],
  [/^sudo songnodes-watchdog notify test$/, "sends through the machine's configured channels; test/notifications runs it against loopback receivers"],
];

/** The synopses in the first column of the README's command table ("| `songnodes-watchdog …` | … |"). */
function tableSynopses(text: string): string[] {
  return [...text.matchAll(/^\| `(songnodes-watchdog [^`]*)` \|/gm)].map(([, synopsis = ""]) => synopsis.replaceAll("\\|", "|"));
}

// Each synopsis of the command table, as the commands this test runs for it, against the node and
// daemon the code blocks served (README paths; `codes` when an exit other than 0 is an answer), or
// as covered where it is already run. A row added to the table without an entry here fails the test.
const S = "--socket /tmp/sim/run/status.sock";
const C = "--socket /tmp/sim/run/control.sock";
const CONFIG = "--config /tmp/sim/watchdog.yaml";
type TableRun = { run: string[]; codes?: number[] } | { covered: string };
const TABLE: Record<string, TableRun> = {
  "songnodes-watchdog run [--log-format text|json]": { covered: "the daemon is started from the code block above (`run --config …`); --log-format with stdout piped is test/cli/log-format.test.ts" },
  "songnodes-watchdog check [--json]": { run: [`songnodes-watchdog check ${CONFIG}`, `songnodes-watchdog check --json ${CONFIG}`], codes: [0, 1, 2] },
  "songnodes-watchdog status [--json]": { run: [`songnodes-watchdog status ${S}`, `songnodes-watchdog status --json ${S}`] },
  "songnodes-watchdog history [--limit N] [--since 1h] [--kind action] [--json]": {
    run: [`songnodes-watchdog history ${S}`, `songnodes-watchdog history --limit 5 --since 1h --kind action ${S}`, `songnodes-watchdog history --limit 5 --since 1h --kind phase --json ${S}`],
  },
  "songnodes-watchdog boots [--json]": { run: [`songnodes-watchdog boots ${S}`, `songnodes-watchdog boots --json ${S}`] },
  "songnodes-watchdog pause --for 30m --reason \"…\"": { run: [`songnodes-watchdog pause --for 30m --reason "the README test" ${C}`] },
  "songnodes-watchdog resume": { run: [`songnodes-watchdog resume ${C}`] },
  "songnodes-watchdog check-now": { run: [`songnodes-watchdog check-now ${C}`] },
  // 1: a rule of the checklist warns about the simulated workloads; both are answers.
  "songnodes-watchdog audit [--json]": { run: [`songnodes-watchdog audit ${CONFIG}`, `songnodes-watchdog audit --json ${CONFIG}`], codes: [0, 1] },
  "songnodes-watchdog config check|show [--config FILE]": { run: [`songnodes-watchdog config check ${CONFIG}`, `songnodes-watchdog config show ${CONFIG}`] },
  "songnodes-watchdog maintenance [--json]": { run: [`songnodes-watchdog maintenance ${S}`, `songnodes-watchdog maintenance --json ${S}`] },
  "songnodes-watchdog maintenance run NAME": { run: [`songnodes-watchdog maintenance run pod-sweep ${C}`] },
  "songnodes-watchdog drill --done \"note\"": { run: [`songnodes-watchdog drill --done "the README test" ${C}`] },
  "songnodes-watchdog report --month [--plot]": { run: [`songnodes-watchdog report --month ${S}`, `songnodes-watchdog report --month --plot ${S}`] },
  "songnodes-watchdog simulate …": { covered: "every simulate command of the code blocks above is run (--list, --scenario, --verbose, --json, --serve)" },
};

const shellQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

function sh(command: string, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-o", "pipefail", "-c", command], { cwd: root, timeout: timeoutMs, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function until(what: string, look: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await look())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const background: ChildProcess[] = [];
afterAll(async () => {
  // Stop what this test started (each in its own process group), newest first.
  for (const child of background.reverse()) {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
  }
});

describe("every README command runs", () => {
  it("runs each command of the README, in order, against the built CLI and a served node", async () => {
    const cli = await builtCli(root);
    const out = mkdtempSync(join(tmpdir(), "swd-readme-"));
    const node = `${shellQuote(process.execPath)} ${shellQuote(cli)}`;
    // The README's paths, moved into this test's directory; its binary, the one just built.
    const local = (command: string) =>
      command
        .replace(/^node dist\/src\/cli\.js /, `${node} `)
        .replace(/^songnodes-watchdog /, `${node} `)
        .replaceAll("/tmp/sim", out)
        .replaceAll("/run/songnodes-watchdog", join(out, "run"));
    const commands = readmeCommands(readme);
    // Before anything runs: every row of the command table has its entry in TABLE, and no more.
    const synopses = tableSynopses(readme);
    expect(synopses.length).toBeGreaterThan(10);
    expect(synopses.filter((synopsis) => !(synopsis in TABLE)), "table rows with no entry in TABLE").toEqual([]);
    expect(Object.keys(TABLE).filter((synopsis) => !synopses.includes(synopsis)), "TABLE entries no longer in the README").toEqual([]);
    expect(commands.length).toBeGreaterThan(15);
    const skipped = new Set<RegExp>();
    const ran: string[] = [];
    for (const command of commands) {
      const skip = NOT_HERE.find(([pattern]) => pattern.test(command));
      if (skip) {
        skipped.add(skip[0]);
        continue;
      }
      ran.push(command);
      if (/ simulate --serve /.test(command) || / run --config /.test(command)) {
        const child = spawn("bash", ["-c", `exec ${local(command)}`], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
        let said = "";
        child.stdout?.on("data", (chunk) => (said += chunk));
        child.stderr?.on("data", (chunk) => (said += chunk));
        background.push(child);
        if (/ --serve /.test(command)) {
          await until("the served node's watchdog.yaml", () => existsSync(join(out, "watchdog.yaml")) && said.includes("Ctrl-C stops it."));
          // The serve hint prints the exact status line the README uses.
          expect(said).toContain(`songnodes-watchdog status --socket ${join(out, "run", "status.sock")}`);
        } else {
          await until("the daemon's status socket", async () => (await sh(`${node} status --socket ${join(out, "run", "status.sock")} --json`)).code === 0);
        }
        expect(child.exitCode, `${command}: ${said}`).toBeNull();
        continue;
      }
      const script = command === "npm run demo" ? demoScript() : local(command);
      const result = await sh(script);
      expect(result.code, `${command}\n${result.stderr}${result.stdout.slice(-2000)}`).toBe(0);
      if (/^(node dist\/src\/cli\.js|songnodes-watchdog|npm run demo)/.test(command) && !command.includes("--json")) {
        // Text output fits 80 columns (bytes, as awk counts them).
        const widest = Math.max(...result.stdout.split("\n").map((line) => Buffer.byteLength(line)));
        expect(widest, `${command}: a line of ${widest} bytes`).toBeLessThanOrEqual(80);
      }
    }
    expect([...skipped].map(String).sort()).toEqual(NOT_HERE.map(([pattern]) => String(pattern)).sort());
    // The command table: every synopsis has its commands here, run against the same node and daemon.
    for (const synopsis of synopses) {
      const entry = TABLE[synopsis] as TableRun;
      if ("covered" in entry) continue;
      for (const command of entry.run) {
        ran.push(command);
        const result = await sh(local(command));
        expect(entry.codes ?? [0], `${command} exited ${result.code}\n${result.stderr}${result.stdout.slice(-2000)}`).toContain(result.code);
        if (!command.includes("--json")) {
          const widest = Math.max(...result.stdout.split("\n").map((line) => Buffer.byteLength(line)));
          expect(widest, `${command}: a line of ${widest} bytes`).toBeLessThanOrEqual(80);
        }
      }
    }
    // The ones that matter most are among those run.
    expect(ran).toEqual(expect.arrayContaining([
      "npm run demo",
      "node dist/src/cli.js simulate --scenario k3s-permanent-failure --json",
      "node dist/src/cli.js status --socket /tmp/sim/run/status.sock",
      "songnodes-watchdog config check",
      "songnodes-watchdog status --socket /tmp/sim/run/status.sock",
    ]));
  // The code blocks and the table are some 40 CLI runs, each a few seconds on a loaded 2-core machine.
  }, 600_000);
});

// `npm run demo` without its build step (the suite has built already): the script must be that.
function demoScript(): string {
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const demo = scripts.demo ?? "";
  expect(demo).toMatch(/^npm run build --silent && node dist\/src\/cli\.js simulate --scenario \w[\w-]*$/);
  return `${shellQuote(process.execPath)} ${demo.split(" && ")[1]!.replace(/^node /, "")}`;
}
