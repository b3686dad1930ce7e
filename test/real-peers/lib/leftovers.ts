// Removing what a real dockerd or containerd can leave behind when a test fails half-way: processes
// started for the test (found by the temp dir in their command line or by the test's own cgroup),
// mounts below the temp dir, and the cgroup directories themselves.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Pids whose command line mentions `dir` (dockerd, its containerd, containerd-shim-runc-v2). */
export function processesMentioning(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir)) found.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** SIGKILL each pid; a pid already gone is fine. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const points = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmount everything below `dir` (dockerd's netns and overlay mounts); busy ones lazily. */
export function unmountUnder(dir: string): void {
  for (let pass = 0; pass < 5; pass++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const point of points) {
      try {
        execFileSync("umount", [point], { stdio: "ignore", timeout: 10_000 });
      } catch {
        try {
          execFileSync("umount", ["--lazy", point], { stdio: "ignore", timeout: 10_000 });
        } catch {
          // reported by the caller's leftover check
        }
      }
    }
  }
}

/** The cgroup v1 controller directories (or the v2 root) a cgroup parent named `name` lives in. */
export function cgroupDirs(name: string): string[] {
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) return [join("/sys/fs/cgroup", name)];
  return readdirSync("/sys/fs/cgroup").map((controller) => join("/sys/fs/cgroup", controller, name));
}

/** Thaw, kill and remove the cgroup tree `name` (containers dockerd put there), deepest first. */
export async function removeCgroups(name: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const dirs = cgroupDirs(name).filter(existsSync);
    if (dirs.length === 0) return;
    for (const top of dirs) {
      for (const dir of walk(top).reverse()) {
        // A paused container sits in a frozen cgroup, where SIGKILL waits until it is thawed.
        if (existsSync(join(dir, "freezer.state"))) tryWrite(join(dir, "freezer.state"), "THAWED");
        if (existsSync(join(dir, "cgroup.freeze"))) tryWrite(join(dir, "cgroup.freeze"), "0");
        killAll(readProcs(dir));
        try {
          rmdirSync(dir);
        } catch {
          // still has processes: the next attempt
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function walk(dir: string): string[] {
  const out = [dir];
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) out.push(...walk(join(dir, entry.name)));
  } catch {
    // removed meanwhile
  }
  return out;
}

function readProcs(dir: string): number[] {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function tryWrite(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch {
    // not writable here: the kill below still tries
  }
}
