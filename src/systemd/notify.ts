// sd_notify for a Type=notify unit. Node has no unix datagram sockets, so the daemon runs
// `systemd-notify --no-block` directly through the shared runner (execa, argument array, no shell,
// its process group killed at the timeout): as root, systemd-notify sends with
// its parent's PID, so systemd attributes the message to the daemon and NotifyAccess=main works; a
// non-root daemon needs NotifyAccess=all. Without --no-block, v252 waits up to 5 s on a barrier.
// A failed notification is logged at debug and forgotten: it must never crash or stall the loop.
import { createRunCommand } from "../exec/run-command.js";
import type { Logger, Notifier, RunCommand } from "../ports.js";

/** What the notifier needs; `env` is the daemon's environment (process.env in production). */
export interface NotifierDeps {
  env: Record<string, string | undefined>;
  runCommand?: RunCommand;
  logger?: Logger;
  /** Per notification. Default 2 s: well under any WatchdogSec worth having. */
  timeoutMs?: number;
  /** Default "systemd-notify", found on PATH. */
  program?: string;
}

/** Tells systemd how the daemon is doing; a no-op when NOTIFY_SOCKET is unset (not under systemd). */
export function createNotifier(deps: NotifierDeps): Notifier {
  const socket = deps.env.NOTIFY_SOCKET;
  if (socket === undefined || socket === "") {
    const nothing = async () => {};
    return { ready: nothing, status: nothing, watchdog: nothing, stopping: nothing };
  }
  const run = deps.runCommand ?? createRunCommand();
  const program = deps.program ?? "systemd-notify";
  const timeoutMs = deps.timeoutMs ?? 2_000;

  const send = async (...assignments: string[]): Promise<void> => {
    const argv = [program, "--no-block", ...assignments];
    try {
      const result = await run(argv, { timeoutMs, env: { NOTIFY_SOCKET: socket } });
      if (result.spawnError !== null || result.timedOut || result.exitCode !== 0) {
        const why = result.spawnError ?? (result.timedOut ? `timed out after ${timeoutMs}ms` : `exit ${result.exitCode ?? result.signal}`);
        deps.logger?.debug(`sd_notify ${assignments.join(" ")} not delivered: ${why}`, { stderr: result.stderr.trim() });
      }
    } catch (error) {
      deps.logger?.debug(`sd_notify ${assignments.join(" ")} not delivered: ${String(error)}`);
    }
  };
  return {
    ready: (status) => send("READY=1", statusLine(status)),
    status: (status) => send(statusLine(status)),
    watchdog: () => send("WATCHDOG=1"),
    stopping: () => send("STOPPING=1"),
  };
}

// STATUS= is one line in `systemctl status`; a newline would end the assignment early.
function statusLine(status: string): string {
  return `STATUS=${status.replace(/\s*\r?\n\s*/g, "; ")}`;
}

/**
 * How often to send WATCHDOG=1: half of WatchdogSec (systemd's WATCHDOG_USEC), the usual practice,
 * so one late ping does not get the daemon killed. Null when the watchdog is off or meant for
 * another process (WATCHDOG_PID set to a PID that is not ours, e.g. inherited by a child).
 */
export function watchdogIntervalMs(env: Record<string, string | undefined>, pid: number = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== "" && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 2 / 1000));
}
