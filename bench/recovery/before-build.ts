// An earlier commit's daemon for a before/after in one run: the commit's tree is exported with
// `git archive` into a temporary directory (no worktree is registered in the repository), linked to
// this checkout's node_modules, compiled with this checkout's tsc, and its loop and journal imported.
// The node model, probes and actions stay this tree's, so only the daemon differs between the columns.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DaemonBuild } from "./daemon-contender.js";

/** Export and compile `rev` of the repository at `root` (once per commit); returns the build's root. */
export function buildCommit(root: string, rev: string, log: (line: string) => void = () => {}): string {
  const sha = execFileSync("git", ["-C", root, "rev-parse", "--verify", `${rev}^{commit}`], { encoding: "utf8" }).trim();
  const dir = join(tmpdir(), `songnodes-watchdog-${sha.slice(0, 12)}`);
  if (existsSync(join(dir, "dist", "src", "daemon", "loop.js"))) return dir;
  mkdirSync(dir, { recursive: true });
  log(`before: exporting ${sha.slice(0, 12)} into ${dir} and compiling it`);
  const tar = join(dir, "tree.tar");
  execFileSync("git", ["-C", root, "archive", "--format=tar", "-o", tar, sha]);
  execFileSync("tar", ["-xf", tar, "-C", dir]);
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { stdio: "inherit" });
  return dir;
}

/** Load the loop, journal and config parser of a built checkout at `buildRoot` (its dist/). */
export async function loadBuild(buildRoot: string): Promise<DaemonBuild> {
  const loop = (await import(pathToFileURL(join(buildRoot, "dist", "src", "daemon", "loop.js")).href)) as Pick<DaemonBuild, "createLoop">;
  const journal = (await import(pathToFileURL(join(buildRoot, "dist", "src", "journal", "index.js")).href)) as Pick<DaemonBuild, "openJournal">;
  const config = (await import(pathToFileURL(join(buildRoot, "dist", "src", "config", "load.js")).href)) as Pick<DaemonBuild, "parseConfig">;
  return { createLoop: loop.createLoop, openJournal: journal.openJournal, parseConfig: config.parseConfig };
}
