// The crash guarantee: a daemon killed with SIGKILL while a remedy runs leaves an honest row, and
// the next start counts that remedy against its budget.
//
// The child must run the real journal code, but Node 20 cannot run TypeScript (no
// --experimental-strip-types) and tsx is not installed. So before the test, the journal's sources
// are transpiled with the TypeScript compiler API (transpileModule: no type-check, milliseconds)
// into a temp dir that links the project's node_modules, and a plain .mjs fixture imports that
// build. This works the same on Node 20, 22 and 24.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { HOUR, T0 } from "./temp-journal.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = join(root, "test/journal/fixtures/crash-mid-action.mjs");

/** Transpiles src/journal (and the contract files it imports) to JavaScript under `dir`. */
function buildJournal(dir: string): void {
  const sources = [
    ...readdirSync(join(root, "src/journal")).filter((f) => f.endsWith(".ts")).map((f) => `src/journal/${f}`),
    "src/core/types.ts",
    "src/ports.ts",
  ];
  for (const source of sources) {
    const output = ts.transpileModule(readFileSync(join(root, source), "utf8"), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const target = join(dir, source.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
}

describe("a daemon killed mid-action", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "songnodes-crash-"));
    buildJournal(join(dir, "build"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves a started restart that the next start marks interrupted and still counts against the budget", async () => {
    const journalPath = join(dir, "journal.sqlite");
    const child = spawn(process.execPath, [fixture, join(dir, "build"), journalPath, String(T0)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on("exit", (_code, signal) => resolveExit(signal)));
    try {
      const id = await new Promise<number>((resolveStarted, reject) => {
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /started (\d+)\n/.exec(stdout);
          if (match) resolveStarted(Number(match[1]));
        });
        child.on("exit", (code) => reject(new Error(`the fixture exited (${code}) before starting: ${stderr}`)));
      });
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");

      const journal = openJournal(journalPath, { now: () => T0 + 60_000 });
      try {
        expect(journal.lastAction()).toMatchObject({ id, outcome: "started", finishedAt: null, bootId: "boot-crash" });
        expect(journal.markInterrupted(T0 + 60_000)).toBe(1);
        expect(journal.lastAction()).toMatchObject({ id, outcome: "interrupted", startedAt: T0 + 1, finishedAt: null });
        expect(journal.lastAction()?.detail).toMatch(/stopped while it ran/);
        expect(journal.actionStamps(T0 - HOUR)).toEqual([{ kind: "restart-k3s", at: T0 + 1 }]);
        expect(journal.history({ kind: "action" })[0]?.summary).toMatch(/^restart-k3s interrupted: the daemon stopped while it ran/);
      } finally {
        journal.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    }
  });
});
