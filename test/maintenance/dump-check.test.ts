// The dump check's default command: turned on without a command of one's own, backup-integrity reads
// the newest dump whole with `pg_restore -f /dev/null` (`--list` would pass a dump cut off halfway).
// The default argv runs here under the local sh with a stand-in pg_restore on PATH.
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/load.js";
import { createBackupIntegrityCheck, dumpCheckCommand } from "../../src/maintenance/checks/backup-integrity.js";
import type { ApiObject, MaintenanceKube, PodExec } from "../../src/maintenance/ports.js";

const settings = (backupIntegrity: Record<string, unknown>) => parseConfig({ maintenance: { backupIntegrity } }).maintenance.backupIntegrity;

function runSh(argv: string[], bin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env: { PATH: `${bin}:/usr/bin:/bin` }, timeout: 10_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("the dump check's command", () => {
  it("is off by default; an operator's own command wins; readDump without one reads the newest dump", () => {
    expect(dumpCheckCommand(settings({}))).toBeNull();
    expect(dumpCheckCommand(settings({ readDump: true, command: ["my-check"] }))).toEqual({ argv: ["my-check"], shown: "my-check" });
    const fallback = dumpCheckCommand(settings({ readDump: true }))!;
    expect(fallback.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(fallback.argv.at(-1)).toBe("/backups/*.dump");
    expect(fallback.argv[2]).toContain("pg_restore -f /dev/null");
    expect(fallback.argv[2]).not.toContain("--list");
    expect(fallback.shown).toBe("pg_restore -f /dev/null <newest of /backups/*.dump>");
  });

  it("the default runs pg_restore -f /dev/null on the newest match, and exits 3 saying so when there is none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-dumps-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "pg_restore"), '#!/bin/sh\necho "pg_restore $*"\n');
    chmodSync(join(bin, "pg_restore"), 0o755);
    const argv = dumpCheckCommand(settings({ readDump: true, dumps: `${dir}/*.dump` }))!.argv;
    expect(await runSh(argv, bin)).toMatchObject({ code: 3, stderr: `no dump matches ${dir}/*.dump\n` });
    for (const [name, age] of [["musicdb-1.dump", 3], ["musicdb-3.dump", 1], ["musicdb-2.dump", 2]] as const) {
      writeFileSync(join(dir, name), "PGDMP");
      const at = Date.now() / 1000 - age * 86_400;
      utimesSync(join(dir, name), at, at);
    }
    expect(await runSh(argv, bin)).toEqual({ code: 0, stdout: `pg_restore -f /dev/null ${dir}/musicdb-3.dump\n`, stderr: "" });
  });

  it("the check runs it in the postgres pod and names it readably when the dump does not read", async () => {
    const asked: string[][] = [];
    const exec: PodExec = { exec: async (_target, argv) => (asked.push([...argv]), { exitCode: 1, stdout: "", stderr: "pg_restore: error: could not read input file: end of file", timedOut: false, error: null }) };
    const job: ApiObject = { metadata: { name: "postgres-backup-1", ownerReferences: [{ kind: "CronJob", name: "postgres-backup" }], creationTimestamp: new Date().toISOString() }, status: { conditions: [{ type: "Complete", status: "True" }] } };
    const kube = { jobs: async () => [job] } as unknown as MaintenanceKube;
    const check = createBackupIntegrityCheck({ kube, exec, namespace: "songnodes", cronJob: "postgres-backup", settings: settings({ readDump: true }) });
    const result = await check.run(new AbortController().signal);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.at(-1)).toBe("/backups/*.dump");
    expect(result.level).toBe("crit");
    expect(result.reason).toContain("`pg_restore -f /dev/null <newest of /backups/*.dump>` exited 1: pg_restore: error: could not read input file: end of file");
    expect(check.timeoutMs).toBe(10 * 60_000 + 30_000);
  });

  it("a dumps glob a shell would do more with than expand is a config error naming the key", () => {
    expect(() => settings({ dumps: "/backups/*.dump; rm -rf /" })).toThrow(ConfigError);
    expect(() => settings({ dumps: "/backups/*.dump; rm -rf /" })).toThrow(/maintenance\.backupIntegrity\.dumps/);
    expect(() => settings({ dumps: "backups/*.dump" })).toThrow(/maintenance\.backupIntegrity\.dumps/);
  });
});
