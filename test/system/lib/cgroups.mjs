// A cgroup of the test run's own: systemd-nspawn --keep-unit puts the container in `payload/` and
// itself in `supervisor/` below the cgroup it was started from, and leaves both behind. Starting it
// from a cgroup made for this run keeps those apart from everything else and makes them easy to
// remove: kill what is left, then rmdir deepest first.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The hierarchies this process is in that nspawn uses: the unified one and name=systemd (v1). */
function hierarchies() {
  const found = [];
  for (const line of readFileSync("/proc/self/cgroup", "utf8").trim().split("\n")) {
    const [, controllers, path] = line.split(":");
    if (controllers === "" && path !== undefined) {
      const root = existsSync("/sys/fs/cgroup/unified/cgroup.procs") ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
      found.push({ root, path });
    } else if (controllers === "name=systemd" && path !== undefined) {
      found.push({ root: "/sys/fs/cgroup/systemd", path });
    }
  }
  return found;
}

/** Move this process into a fresh cgroup `name` below its own; returns a function that undoes it all. */
export function enterTestCgroup(name) {
  const made = [];
  for (const { root, path } of hierarchies()) {
    const home = join(root, path);
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cgroup.procs"), String(process.pid));
    made.push({ home, dir });
  }
  const leaveTestCgroup = async () => {
    for (const { home, dir } of made) {
      try {
        writeFileSync(join(home, "cgroup.procs"), String(process.pid));
      } catch {
        /* the old cgroup is gone: stay where we are */
      }
    }
    for (const { dir } of made) await removeCgroupTree(dir);
  };
  /** The cgroup directories made (one per hierarchy), for the no-leftovers check. */
  leaveTestCgroup.dirs = made.map(({ dir }) => dir);
  return leaveTestCgroup;
}

/** Kill every process in the tree, then remove its directories deepest first. */
export async function removeCgroupTree(dir) {
  for (let attempt = 0; attempt < 50 && existsSync(dir); attempt += 1) {
    for (const sub of walk(dir).reverse()) {
      for (const pid of readProcs(sub)) {
        if (pid === process.pid) continue;
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      try {
        rmdirSync(sub);
      } catch {
        /* still busy; next attempt */
      }
    }
    if (existsSync(dir)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (existsSync(dir)) throw new Error(`cgroup ${dir} could not be removed`);
}

/** Processes left in a cgroup tree (for the no-leftovers check). */
export function processesIn(dir) {
  return existsSync(dir) ? walk(dir).flatMap(readProcs) : [];
}

function walk(dir) {
  const dirs = [dir];
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return dirs;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) dirs.push(...walk(join(dir, entry.name)));
  }
  return dirs;
}

function readProcs(dir) {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Processes whose command line names `text` (the run's work directory): nspawn or a child that left the cgroup. */
export function processesNaming(text) {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}
