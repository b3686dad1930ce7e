// The cost benchmark's readings of /proc and its process groups: parsed from literal lines, read
// from real child processes, and a stopped group leaves no grandchild behind.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProcStat, parseProcStatus, readCpuTimes, readMemoryUse } from "../../bench/cost/proc-stats.js";
import { startGroupProcess } from "../../bench/cost/process-group.js";

// A real line, with a command name that holds a space and a parenthesis.
const STAT = "4242 (node (run) x) S 1 4242 4242 0 -1 4194560 9000 0 12 0 150 37 4 6 20 0 11 0 1234 1100000000 30000 18446744073709551615";

describe("reading what a process costs from /proc", () => {
  it("utime+stime and cutime+cstime come from fields 14–17 whatever the command name holds", () => {
    expect(parseProcStat(STAT, 100)).toEqual({ ownMs: 1870, childrenMs: 100 });
    expect(parseProcStat(STAT, 1000)).toEqual({ ownMs: 187, childrenMs: 10 });
  });

  it("a line that is not /proc/<pid>/stat is an error, not NaN", () => {
    expect(() => parseProcStat("garbage", 100)).toThrow(/not a \/proc/);
  });

  it("VmHWM is the peak and VmRSS the current resident set, in KiB", () => {
    const status = "Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  152284 kB\nVmRSS:\t  120238 kB\nThreads:\t11\n";
    expect(parseProcStatus(status)).toEqual({ peakKiB: 152284, currentKiB: 120238 });
    expect(() => parseProcStatus("Name:\tnode\n")).toThrow(/VmHWM/);
  });

  it("a child that burns CPU shows it in its own times, and its memory peak is at least its current use", async () => {
    // 300 ms of its own CPU, however busy the machine is (a wall-clock loop gets less when it is
    // shared), then it says so and idles.
    const burn = "const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (used() < 300); process.stdout.write('burnt\\n'); setTimeout(() => {}, 10000)";
    const child = spawn(process.execPath, ["-e", burn], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the child did not burn 300 ms of CPU within 20 s")), 20_000);
        child.stdout?.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("burnt")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const cpu = readCpuTimes(child.pid!);
      const memory = readMemoryUse(child.pid!);
      expect(cpu.ownMs).toBeGreaterThan(100);
      expect(memory.peakKiB).toBeGreaterThanOrEqual(memory.currentKiB);
      expect(memory.currentKiB).toBeGreaterThan(1000);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("process groups of the cost run", () => {
  it("stopping a group also kills a grandchild that ignores SIGTERM", async () => {
    const script = "const c = require('child_process').spawn(process.execPath, ['-e', \"process.on('SIGTERM', () => {}); console.log('grandchild ' + process.pid); setInterval(() => {}, 1000)\"], { stdio: ['ignore', 'inherit', 'inherit'] }); setInterval(() => {}, 1000)";
    const group = startGroupProcess([process.execPath, "-e", script], process.env, process.cwd());
    await group.waitFor(/grandchild \d+/, 10_000);
    const grandchild = Number(/grandchild (\d+)/.exec(group.output())![1]);
    expect(existsSync(`/proc/${grandchild}`)).toBe(true);
    await group.stop(1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const state = existsSync(`/proc/${grandchild}/stat`) ? parseState(grandchild) : "gone";
    expect(["gone", "Z"]).toContain(state);
    expect(group.exited()).toBe(true);
  });

  it("waiting for output from a program that exits first fails with what it printed", async () => {
    const group = startGroupProcess([process.execPath, "-e", "console.log('no config'); process.exit(78)"], process.env, process.cwd());
    await expect(group.waitFor(/Ctrl-C stops it/, 10_000)).rejects.toThrow(/exited before printing[\s\S]*no config/);
    await group.stop();
  });
});

function parseState(pid: number): string {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ")[0] ?? "gone";
  } catch {
    return "gone";
  }
}
