// Child processes for the end-to-end test: each in its own process group, its output kept, and
// stopped as a group (SIGTERM, then SIGKILL) so nothing outlives the test.
import { spawn, type ChildProcess } from "node:child_process";

/** A started program and everything it printed so far. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when `pattern` shows in the output; rejects after `timeoutMs` or when it exits. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Start `argv` detached (its own process group) with stdout and stderr captured together. */
export function startGroup(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Started {
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const waiters = new Set<() => void>();
  const take = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          finish();
          resolve();
        };
        const timer = setTimeout(() => (finish(), reject(new Error(`${pattern} not printed within ${timeoutMs} ms:\n${text.slice(-3000)}`))), timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          if (!waiters.has(check)) return;
          finish();
          reject(new Error(`${argv.join(" ")} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${text.slice(-3000)}`));
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup("SIGTERM");
        const late = setTimeout(() => signalGroup("SIGKILL"), 5_000);
        await exited;
        clearTimeout(late);
      }
      // Whatever the leader left behind in its group (a killall script mid-flight) goes too.
      signalGroup("SIGKILL");
    },
  };
}
