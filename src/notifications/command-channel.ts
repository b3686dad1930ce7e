// The command channel: a program run with execa as an argument array (never a shell), the event as
// JSON on stdin and in $SONGNODES_EVENT. It runs in its own process group, so a timeout kills the
// program and everything it started; exit 0 means delivered. The program is checked again just
// before each run (it was at config load too): a file swapped or opened to others since is not run.
import { execa } from "execa";
import { killProcessGroup } from "../exec/kill-process-group.js";
import type { Channel, DeliveryOutcome } from "./channel.js";
import { untrustedCommandReason } from "./command-trust.js";
import { routeAccepts, type Route } from "./routing.js";

export interface CommandChannelOptions {
  name: string;
  argv: readonly string[];
  timeoutMs: number;
  route: Route;
  /** Between SIGTERM and SIGKILL to the group. Default 2 s. */
  killGraceMs?: number;
}

const MAX_OUTPUT = 16 * 1024;
// After the program exits, how long a leftover child may hold its pipes before the group is killed.
const DRAIN_GRACE_MS = 500;

/** A channel that runs a program per event. */
export function createCommandChannel(options: CommandChannelOptions): Channel {
  const [program, ...args] = options.argv;
  const grace = options.killGraceMs ?? 2_000;
  return {
    name: options.name,
    type: "command",
    accepts: (event) => routeAccepts(options.route, event),
    async deliver(event, signal): Promise<DeliveryOutcome> {
      const refused = untrustedCommandReason(program ?? "");
      if (refused !== null) return { ok: false, detail: `${program}: not run as root: ${refused}`, retryAfterMs: null };
      const json = JSON.stringify(event);
      const child = execa(program ?? "", args, {
        input: json,
        env: { SONGNODES_EVENT: json, SONGNODES_EVENT_ID: event.id, SONGNODES_EVENT_KIND: event.kind, SONGNODES_EVENT_SEVERITY: event.severity },
        detached: true,
        reject: false,
        stdout: "ignore",
        stderr: "pipe",
        maxBuffer: MAX_OUTPUT,
        stripFinalNewline: true,
      });
      let timedOut = false;
      const timers: NodeJS.Timeout[] = [];
      const killAll = () => {
        if (child.pid !== undefined) killProcessGroup(child.pid, grace);
      };
      timers.push(setTimeout(() => {
        timedOut = true;
        killAll();
      }, options.timeoutMs));
      const abort = () => killAll();
      signal?.addEventListener("abort", abort, { once: true });
      child.once("exit", () => timers.push(setTimeout(killAll, DRAIN_GRACE_MS)));
      // A process that left the group (setsid) and holds the pipe must not hold the delivery forever.
      let stuck: NodeJS.Timeout | undefined;
      const giveUp = new Promise<null>((resolve) => (stuck = setTimeout(() => resolve(null), options.timeoutMs + grace + 1_000)));
      const result = await Promise.race([child, giveUp]);
      clearTimeout(stuck);
      for (const timer of timers) clearTimeout(timer);
      if (result === null) {
        child.stderr?.destroy();
        return { ok: false, detail: `${program} left a process holding its output past the timeout`, retryAfterMs: null };
      }
      signal?.removeEventListener("abort", abort);
      const stderr = String(result.stderr ?? "").replace(/\s+/g, " ").trim().slice(-200);
      if (timedOut) return { ok: false, detail: `${program} did not finish within ${options.timeoutMs} ms: its process group was killed`, retryAfterMs: null };
      if (result.exitCode === 0) return { ok: true, detail: "exit 0", retryAfterMs: null };
      const how = result.exitCode !== undefined ? `exit ${result.exitCode}` : result.signal ? `killed by ${result.signal}` : (result.originalMessage || "could not be started");
      return { ok: false, detail: `${program}: ${how}${stderr ? `: ${stderr}` : ""}`, retryAfterMs: null };
    },
  };
}
