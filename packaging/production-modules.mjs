// The production node_modules for one Node runtime: `npm ci --omit=dev` from the project's lock
// file, then better-sqlite3 compiled from source against that runtime's headers (npm's nodedir
// pointing at them, the runtime first on PATH so node-gyp targets it). Cached per lock file and
// runtime: the compile takes two to three minutes here.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cached, cacheDir, hashOf } from "./cache.mjs";
import { pathWith, run } from "./run.mjs";

// Bump when the steps below change, so cached copies are rebuilt.
const RECIPE = "2";

/** The compiled addon inside a node_modules tree. */
export const SQLITE_ADDON = join("better-sqlite3", "build", "Release", "better_sqlite3.node");

/** A directory holding package.json and node_modules/ (production only) built for `runtime`. */
export async function ensureProductionModules({ root, runtime, log = () => {} }) {
  const lock = readFileSync(join(root, "package-lock.json"));
  const manifest = readFileSync(join(root, "package.json"));
  const key = hashOf(RECIPE, lock, manifestDeps(manifest), runtime.version);
  return cached(join(cacheDir(), `production-modules-node${runtime.version}-${key}`), async (temp) => {
    log(`production node_modules for Node ${runtime.version}: npm ci --omit=dev, then better-sqlite3 from source (a few minutes; cached afterwards)`);
    mkdirSync(temp, { recursive: true });
    copyFileSync(join(root, "package.json"), join(temp, "package.json"));
    copyFileSync(join(root, "package-lock.json"), join(temp, "package-lock.json"));
    const env = {
      ...process.env,
      PATH: pathWith(join(runtime.dir, "bin")),
      // The runtime's own headers; never the machine's /usr/include/node, which is another version.
      npm_config_nodedir: runtime.dir,
      npm_config_build_from_source: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    };
    await run(["npm", "ci", "--omit=dev", "--ignore-scripts"], { cwd: temp, env });
    await run(["npm", "rebuild", "better-sqlite3"], { cwd: temp, env, timeoutMs: 20 * 60_000 });
    // Proof that the addon loads in the runtime it was built for.
    await run([runtime.node, "-e", "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: temp });
    // Compiler leftovers the addon does not need at run time (tens of MB).
    const addon = join(temp, "node_modules", "better-sqlite3");
    for (const leftover of ["build/Release/obj", "build/Release/obj.target", "build/Release/.deps", "build/Release/sqlite3.a", "build/Release/test_extension.node", "build/deps", "deps", "src"]) {
      rmSync(join(addon, leftover), { recursive: true, force: true });
    }
    await run([runtime.node, "-e", "require('better-sqlite3')"], { cwd: temp });
  });
}

// Only what decides the installed tree: a new version or script in package.json must not rebuild.
function manifestDeps(manifest) {
  const { dependencies, overrides, allowScripts } = JSON.parse(manifest.toString("utf8"));
  return JSON.stringify({ dependencies, overrides, allowScripts });
}
