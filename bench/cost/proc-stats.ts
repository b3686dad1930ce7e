// What Linux's /proc says a process has cost: CPU from /proc/<pid>/stat (utime and stime, plus
// cutime and cstime for children it has waited for, in clock ticks) and memory from
// /proc/<pid>/status (VmHWM is the peak resident set since the process started, VmRSS the current).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** CPU a process has used so far, ms. */
export interface CpuTimes {
  /** utime + stime: the process itself. */
  ownMs: number;
  /** cutime + cstime: children it has reaped (the daemon's systemd-notify and journalctl runs). */
  childrenMs: number;
}

/** Memory of a process, KiB. */
export interface MemoryUse {
  peakKiB: number;
  currentKiB: number;
}

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of the /proc/<pid>/stat CPU fields (100 on every common Linux build). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 2_000 }).trim());
      ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Parse the text of /proc/<pid>/stat; the command name in parentheses may hold spaces. */
export function parseProcStat(text: string, hz = clockTicksPerSecond()): CpuTimes {
  const fields = text.slice(text.lastIndexOf(")") + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14–17.
  const tick = (n: number) => Number(fields[n - 3] ?? Number.NaN);
  const ms = (ticks: number) => (ticks * 1000) / hz;
  const times = { ownMs: ms(tick(14) + tick(15)), childrenMs: ms(tick(16) + tick(17)) };
  if (!Number.isFinite(times.ownMs) || !Number.isFinite(times.childrenMs)) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 120)}`);
  return times;
}

/** Parse VmHWM and VmRSS out of the text of /proc/<pid>/status. */
export function parseProcStatus(text: string): MemoryUse {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, "m").exec(text);
    if (!match) throw new Error(`no ${name} in /proc/<pid>/status`);
    return Number(match[1]);
  };
  return { peakKiB: field("VmHWM"), currentKiB: field("VmRSS") };
}

/** CPU times of a live process. */
export function readCpuTimes(pid: number): CpuTimes {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** Memory of a live process. */
export function readMemoryUse(pid: number): MemoryUse {
  return parseProcStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
}
