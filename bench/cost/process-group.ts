// Child processes for the real-process cost run and the end-to-end test: each in its own process
// group with its output kept (the tail, for a failure message), stopped as a group (SIGTERM, then
// SIGKILL after a grace), so neither the served node's dbus-daemon nor a daemon's child outlives them.
import { spawn, type ChildProcess } from "node:child_process";

/** A started program, its process group and what it printed lately. */
export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Wall time of the spawn, ms since the epoch. */
  readonly spawnedAt: number;
  /** The last 16 KiB of stdout and stderr together. */
  output(): string;
  /** Resolves when `pattern` shows in the output; rejects after `timeoutMs` or when it exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** True once the leader has exited. */
  exited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`, and SIGKILL to whatever is left in the group. */
  stop(graceMs?: number): Promise<void>;
}

const KEEP_CHARS = 16 * 1024;

// Groups still running: killed when the benchmark exits, however it exits (an uncaught error, Ctrl-C).
const live = new Set<number>();
let exitHookInstalled = false;

/** SIGKILL every group started here that has not been stopped; synchronous, for exit paths. */
export function killLiveGroups(): void {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  live.clear();
}

/** Start `argv` (no shell) detached in its own process group. */
export function startGroupProcess(argv: string[], env: NodeJS.ProcessEnv, cwd: string): GroupProcess {
  const [file, ...args] = argv as [string, ...string[]];
  const spawnedAt = Date.now();
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid !== undefined) live.add(child.pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", killLiveGroups);
  }
  let text = "";
  const listeners = new Set<() => void>();
  const take = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-KEEP_CHARS);
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  let done = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => ((done = true), resolve()));
    child.once("error", (error) => ((done = true), (text += `\nspawn failed: ${error.message}`), resolve()));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    pid: child.pid ?? -1,
    spawnedAt,
    output: () => text,
    exited: () => done,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const finish = () => (clearTimeout(timer), listeners.delete(check));
        const check = () => {
          if (pattern.test(text)) (finish(), resolve());
        };
        const timer = setTimeout(() => (finish(), reject(new Error(`${pattern} not printed within ${timeoutMs} ms:\n${text.slice(-3000)}`))), timeoutMs);
        listeners.add(check);
        void exit.then(() => {
          if (listeners.has(check)) (finish(), reject(new Error(`${argv.join(" ")} exited before printing ${pattern}:\n${text.slice(-3000)}`)));
        });
        check();
      });
    },
    async stop(graceMs = 5_000) {
      if (!done) {
        signalGroup("SIGTERM");
        const late = setTimeout(() => signalGroup("SIGKILL"), graceMs);
        await exit;
        clearTimeout(late);
      }
      signalGroup("SIGKILL");
      if (child.pid !== undefined) live.delete(child.pid);
    },
  };
}
