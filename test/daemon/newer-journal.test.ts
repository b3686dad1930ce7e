// A binary older than its journal (a downgrade): the built daemon refuses to start, says why, and
// exits 78 so that the unit's RestartPreventExitStatus=78 does not restart it in a loop.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/journal/index.js";

const cli = join(process.cwd(), "dist/src/cli.js");

function runDaemon(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.NOTIFY_SOCKET;
    delete env.JOURNAL_STREAM;
    execFile(process.execPath, [cli, ...args], { env, timeout: 30_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe("the built daemon and a journal from a newer release", () => {
  const dir = mkdtempSync(join(tmpdir(), "swd-newer-journal-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses to start with a message naming the versions and exits 78", async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm test does it first)`);
    const state = join(dir, "state");
    mkdirSync(state);
    const db = new Database(join(state, "journal.sqlite"));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const config = join(dir, "config.yaml");
    writeFileSync(config, "dryRun: true\n");
    const result = await runDaemon(["run", "--config", config, "--state-dir", state, "--runtime-dir", join(dir, "run")]);
    expect(result.code).toBe(78);
    const said = `${result.stdout}${result.stderr}`;
    expect(said).toMatch(new RegExp(`not starting: journal .*journal\\.sqlite has schema version ${MIGRATIONS.length + 1}, but this songnodes-watchdog knows versions up to ${MIGRATIONS.length}`));
    // Nothing was served: the refusal comes before the sockets.
    expect(existsSync(join(dir, "run", "status.sock"))).toBe(false);
  });
});
