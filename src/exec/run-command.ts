// Runs a program as an argument array, never through a shell, with execa, in its own process group
// (detached), so that a timeout or an abort can kill everything it started: execa's own timeout
// and cancelSignal kill only the direct child, and a grandchild that inherited the pipes would keep
// the caller waiting (docs/design.md §4, §7). Never throws: a program that cannot be started comes
// back as `spawnError`, one that runs too long as `timedOut`.
import { performance } from "node:perf_hooks";
import { execa, type ResultPromise } from "execa";
import type { CommandResult, RunCommand } from "../ports.js";
import { killProcessGroup } from "./kill-process-group.js";
import { createOutputTail } from "./output-tail.js";

/** Tuning for `createRunCommand`; the defaults suit the daemon. */
export interface RunCommandSettings {
  /** Per stream; the tail is kept. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Between SIGTERM and SIGKILL to the group. Default 2 s. */
  killGraceMs?: number;
  /** After the program exits, how long its output pipes may stay open before leftovers are killed. Default 500 ms. */
  drainGraceMs?: number;
}

/** Build a `RunCommand` with the given output cap and kill grace. */
export function createRunCommand(settings: RunCommandSettings = {}): RunCommand {
  const maxOutputBytes = settings.maxOutputBytes ?? 1_048_576;
  const killGraceMs = settings.killGraceMs ?? 2_000;
  const drainGraceMs = settings.drainGraceMs ?? 500;
  return (argv, options) => {
    const started = performance.now();
    const result = (part: Partial<CommandResult>): CommandResult => ({
      exitCode: null, signal: null, stdout: "", stderr: "", timedOut: false, spawnError: null,
      durationMs: Math.round(performance.now() - started), ...part,
    });
    const program = argv[0];
    if (program === undefined || program === "") return Promise.resolve(result({ spawnError: "no program given (empty argv)" }));
    if (!(options.timeoutMs > 0)) {
      return Promise.resolve(result({ spawnError: `timeoutMs must be a positive number of milliseconds, got ${String(options.timeoutMs)}` }));
    }
    if (options.signal?.aborted) return Promise.resolve(result({ timedOut: true, spawnError: `${program} not started: the deadline had already passed` }));

    return new Promise<CommandResult>((resolve) => {
      let child: ResultPromise;
      try {
        child = execa(program, argv.slice(1), {
          detached: true, // a new process group led by the child: kill(-pid) reaches its descendants
          stdin: "ignore",
          buffer: false, // the capped tails below keep the output; execa would keep all of it
          env: options.env, // added to the daemon's own environment (extendEnv)
          reject: false,
          forceKillAfterDelay: false, // the group is killed below, with its own grace
          cleanup: false,
          encoding: "buffer",
        });
      } catch (error) {
        resolve(result({ spawnError: describeSpawnError(program, error) }));
        return;
      }
      const stdout = createOutputTail(maxOutputBytes);
      const stderr = createOutputTail(maxOutputBytes);
      child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));

      let timedOut = false;
      let leftoversKilled = false;
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let spawnError: string | null = null;
      let settled = false;
      const timers: NodeJS.Timeout[] = [];

      const settle = () => {
        if (settled) return;
        settled = true;
        for (const timer of timers) clearTimeout(timer);
        options.signal?.removeEventListener("abort", stop);
        child.stdout?.destroy();
        child.stderr?.destroy();
        const note = leftoversKilled ? "\n[processes the program left behind holding its output were killed]" : "";
        resolve(result({ exitCode, signal: exitSignal, stdout: stdout.text(), stderr: stderr.text() + note, timedOut, spawnError }));
      };
      // Kill the group; if a process escaped the group (setsid) and still holds the pipes, stop waiting.
      const killGroup = () => {
        if (child.pid !== undefined) killProcessGroup(child.pid, killGraceMs);
        timers.push(setTimeout(settle, killGraceMs + 1_000));
      };
      function stop() {
        if (settled || timedOut) return;
        timedOut = true;
        killGroup();
      }

      timers.push(setTimeout(stop, options.timeoutMs));
      options.signal?.addEventListener("abort", stop, { once: true });
      child.on("exit", (code, signal) => {
        exitCode = code;
        exitSignal = signal;
        if (timedOut) return;
        // The program is done, but something it started may still hold stdout/stderr open.
        timers.push(setTimeout(() => {
          if (settled || timedOut) return;
          leftoversKilled = true;
          killGroup();
        }, drainGraceMs));
      });
      // execa settles once the program has exited and its pipes have closed, or when it could not
      // start (reject: false turns that into a result with `failed` and the error's code).
      child.then(
        (outcome) => {
          if (child.pid === undefined && outcome.failed) spawnError = describeSpawnError(program, outcome.cause ?? outcome);
          settle();
        },
        (error: unknown) => {
          if (child.pid === undefined) spawnError = describeSpawnError(program, error);
          settle();
        },
      );
    });
  };
}

/** Run with the defaults: 1 MiB of output per stream, 2 s between SIGTERM and SIGKILL. */
export const runCommand: RunCommand = createRunCommand();

function describeSpawnError(program: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return `${program} was not found (ENOENT)`;
  if (code === "EACCES") return `${program} is not executable or not permitted (EACCES)`;
  const message = (error as { shortMessage?: string; message?: string } | undefined);
  return `${program} could not be started: ${message?.shortMessage ?? message?.message ?? String(error)}`;
}
