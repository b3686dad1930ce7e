// The .deb the system tests install, and the previous release they upgrade from, both built with
// packaging/build-deb.mjs and cached by what went into them (SONGNODES_SYSTEM_CACHE/packages): the
// current one per hash of the built code and the packaging, the previous one per git ref.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { buildDeb } from "../../../packaging/build-deb.mjs";
import { runOk } from "./exec.mjs";
import { PROJECT_ROOT } from "./install.mjs";

/**
 * The release the upgrade scenario starts from: main before the package existed (one journal
 * migration). SONGNODES_PREVIOUS_REF names another commit or tag; its tree is built with this
 * checkout's packaging, under version `<its version>~git<short hash>`, which sorts below every
 * release of that version.
 */
export const PREVIOUS_RELEASE = "79c22a173c769c8ae842bb8ca8acfe59ee035276";
/** Where the package lands inside the container. */
export const DEB_DIR_IN_CONTAINER = "/var/cache/system-test/debs";

/** The current tree's package and the previous release's: { path, version, file } each. */
export async function ensurePackages(log) {
  const base = join(process.env.SONGNODES_SYSTEM_CACHE ?? "/var/cache/songnodes-watchdog", "packages");
  const version = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).version;
  const currentDir = join(base, `current-${treeHash()}`);
  const current = await cachedDeb(currentDir, log, (out) => buildDeb({ version, outDir: out, log }));
  // One current package is kept: each is 50 MB, and a changed tree never comes back to an old hash.
  for (const name of readdirSync(base)) {
    if (name.startsWith("current-") && join(base, name) !== currentDir) rmSync(join(base, name), { recursive: true, force: true });
  }
  const ref = process.env.SONGNODES_PREVIOUS_REF ?? PREVIOUS_RELEASE;
  const commit = (await runOk(["git", "-C", PROJECT_ROOT, "rev-parse", "--verify", `${ref}^{commit}`], { timeoutMs: 10_000 })
    .catch((error) => { throw new Error(`the previous release ${ref} is not in this clone (a shallow clone? fetch it): ${error.message}`); })).stdout.trim();
  const previous = await cachedDeb(join(base, `previous-${commit.slice(0, 12)}`), log, (out) => buildPrevious(commit, out, log));
  return { current, previous };
}

async function cachedDeb(dir, log, build) {
  const find = () => (existsSync(dir) ? readdirSync(dir).find((name) => name.endsWith(".deb")) : undefined);
  if (!find()) {
    const temp = `${dir}.tmp-${process.pid}`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    try {
      await build(temp);
      rmSync(dir, { recursive: true, force: true });
      renameSync(temp, dir);
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw error;
    }
  } else {
    log(`package cached: ${join(dir, find())}`);
  }
  const file = find();
  return { path: join(dir, file), file, version: file.split("_")[1] };
}

/** The tree at `commit`, compiled with this checkout's TypeScript, packaged with this packaging. */
async function buildPrevious(commit, out, log) {
  const tree = join(out, "tree");
  mkdirSync(tree, { recursive: true });
  const archive = join(out, "tree.tar");
  await runOk(["git", "-C", PROJECT_ROOT, "archive", "--format=tar", "-o", archive, commit, "src", "scenarios", "systemd", "package.json", "package-lock.json", "tsconfig.json"], { timeoutMs: 60_000 });
  await runOk(["tar", "-xf", archive, "-C", tree], { timeoutMs: 60_000 });
  rmSync(archive);
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(tree, "node_modules"));
  log(`building the previous release ${commit.slice(0, 12)} (tsc)`);
  await runOk([process.execPath, join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(tree, "tsconfig.json")], { timeoutMs: 5 * 60_000 });
  const version = JSON.parse(readFileSync(join(tree, "package.json"), "utf8")).version;
  await buildDeb({ source: tree, version: `${version}~git${commit.slice(0, 7)}`, outDir: out, log });
  rmSync(tree, { recursive: true, force: true });
}

/** A hash of everything the current package is made of. */
function treeHash() {
  const hash = createHash("sha256");
  const add = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (!name.endsWith(".map")) add(join(path, name));
      }
      return;
    }
    hash.update(relative(PROJECT_ROOT, path)).update("\0").update(readFileSync(path)).update("\0");
  };
  for (const part of ["dist/src", "scenarios", "packaging", "package.json", "package-lock.json", "systemd/songnodes-watchdog.service"]) add(join(PROJECT_ROOT, part));
  return hash.digest("hex").slice(0, 16);
}

/** Copy a package into the container; returns the `./file.deb` path apt takes. */
export function putPackage(machine, deb) {
  const target = machine.hostPath(join(DEB_DIR_IN_CONTAINER, deb.file));
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) copyFileSync(deb.path, target);
  return join(DEB_DIR_IN_CONTAINER, deb.file);
}

/** `apt <args>` inside the container, non-interactive; throws with apt's output when it fails. */
export function apt(machine, args, { timeoutMs = 180_000 } = {}) {
  return machine.execOk(["apt", "-y", "-o", "Dpkg::Use-Pty=0", ...args], { timeoutMs, env: { DEBIAN_FRONTEND: "noninteractive" } });
}

/** The installed version (`dpkg-query`), or null when the package is not installed. */
export async function installedVersion(machine) {
  const result = await machine.exec(["dpkg-query", "-W", "-f", "${db:Status-Abbrev}${Version}", "songnodes-watchdog"], { timeoutMs: 10_000 });
  return result.code === 0 && result.stdout.startsWith("ii ") ? result.stdout.slice(3).trim() : null;
}

/**
 * The journal's schema as SQLite says it: { userVersion, migrations: [{ version, appliedAt }] }.
 * Read from a copy (the file and its WAL), since the daemon may be writing it; `write` sets
 * user_version in the file itself, which only a stopped daemon allows. python3's sqlite3, not the
 * project's better-sqlite3: CI swaps that addon for other Node versions.
 */
export function journalSchema(path, { write } = {}) {
  let file = path;
  let copy = null;
  if (write === undefined) {
    copy = mkdtempSync(join(tmpdir(), "songnodes-journal-copy-"));
    file = join(copy, "journal.sqlite");
    copyFileSync(path, file);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${file}-wal`);
  }
  const script = [
    "import json, sqlite3, sys",
    "db = sqlite3.connect(sys.argv[1])",
    "if sys.argv[2] != '': db.execute('PRAGMA user_version = %d' % int(sys.argv[2])); db.commit()",
    "version = db.execute('PRAGMA user_version').fetchone()[0]",
    "rows = db.execute('SELECT version, applied_at FROM schema_migrations ORDER BY version').fetchall()",
    "db.close()",
    "print(json.dumps({'userVersion': version, 'migrations': [{'version': v, 'appliedAt': a} for v, a in rows]}))",
  ].join("\n");
  try {
    return JSON.parse(execFileSync("python3", ["-c", script, file, write === undefined ? "" : String(write)], { encoding: "utf8", timeout: 30_000 }));
  } finally {
    if (copy !== null) rmSync(copy, { recursive: true, force: true });
  }
}
