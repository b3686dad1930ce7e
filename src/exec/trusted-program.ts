// A program the daemon runs as root must be one only root can change: otherwise any local user who
// can write the file, or rename a directory above it, chooses what root runs. The rule is the one
// OpenSSH applies to its keys, with one exception: a root-owned sticky directory (/tmp) lets others
// create entries but never rename or remove root's, so it does not let them swap the program.
import { lstatSync, realpathSync, type Stats } from "node:fs";
import { dirname, isAbsolute } from "node:path";
import type { RunCommand } from "../ports.js";

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/**
 * Why `path` must not be run as root, or null when it may: an absolute path to a regular file owned
 * by root and not writable by group or others, every directory above it likewise (a root-owned
 * sticky directory is allowed); when a symlink is on the way, its target is checked the same way.
 */
export function untrustedProgramReason(path: string): string | null {
  if (!isAbsolute(path)) return `${path} is not an absolute path (a relative name is looked up on PATH or in the working directory, which others may control)`;
  const given = checkChain(path);
  if (given !== null) return given;
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    return `${path} cannot be resolved: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  if (real === path) return null;
  const target = checkChain(real);
  return target === null ? null : `${path} leads to ${real}: ${target}`;
}

/**
 * `runCommand` that checks the program just before each run: an untrusted one is not started and
 * comes back as a spawnError naming the reason (the caller reports it like any program that failed).
 */
export function onlyTrustedPrograms(runCommand: RunCommand, check = untrustedProgramReason): RunCommand {
  return (argv, options) => {
    const program = argv[0] ?? "";
    const reason = check(program);
    if (reason === null) return runCommand(argv, options);
    return Promise.resolve({
      exitCode: null, signal: null, stdout: "", stderr: "", timedOut: false, durationMs: 0,
      spawnError: `refused to run ${program} as root: ${reason}`,
    });
  };
}

/** The file itself, then each directory up to /, each checked without following links. */
function checkChain(path: string): string | null {
  const file = look(path);
  if (typeof file === "string") return file;
  if (!file.isSymbolicLink()) {
    if (!file.isFile()) return `${path} is not a regular file`;
    const problem = writableByOthers(path, file, "file");
    if (problem !== null) return problem;
  } else if (file.uid !== 0) {
    return `${path} is a symlink owned by uid ${file.uid}, not root`;
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const stat = look(dir);
    if (typeof stat === "string") return stat;
    // A symlinked directory on the way is judged by the resolved chain; its own entry is root's or not.
    if (stat.isSymbolicLink()) {
      if (stat.uid !== 0) return `${dir} (above ${path}) is a symlink owned by uid ${stat.uid}, not root`;
    } else {
      if (!stat.isDirectory()) return `${dir} (above ${path}) is not a directory`;
      const problem = writableByOthers(dir, stat, `directory above ${path}`);
      if (problem !== null) return problem;
    }
    if (dir === dirname(dir)) return null;
  }
}

function look(path: string): Stats | string {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `${path} does not exist` : `${path} cannot be inspected: ${code ?? (error as Error).message}`;
  }
}

function writableByOthers(path: string, stat: Stats, what: string): string | null {
  const mode = (stat.mode & 0o7777).toString(8).padStart(4, "0");
  if (stat.uid !== 0) return `${path} (${what}) is owned by uid ${stat.uid}, not root`;
  if ((stat.mode & GROUP_OR_OTHER_WRITE) === 0) return null;
  if (stat.isDirectory() && (stat.mode & STICKY) !== 0) return null;
  return `${path} (${what}) is writable by ${stat.mode & 0o002 ? "others" : "its group"} (mode ${mode})`;
}
