// status, history, boots, pause, resume, check-now: clients of the daemon's unix sockets. Reads go
// to status.sock (group-readable); pause, resume and check-now go to control.sock (root only).
import { userInfo } from "node:os";
import type { Command } from "commander";
import type { BootRecord, HistoryEntry } from "../journal/types.js";
import { askDaemon, DaemonBusyError, DaemonUnavailableError, SocketPathError, SocketPermissionError, type SocketAnswer } from "../status/client.js";
import { controlSocketPath, runtimeDirFrom, statusSocketPath } from "../status/paths.js";
import type { StatusView } from "../status/status-view.js";
import { createPaint, wantsColour, type Paint } from "./format/colour.js";
import { renderBoots, renderHistory } from "./format/history-text.js";
import { renderStatus } from "./format/status-text.js";
import { formatWhen } from "./format/time.js";
import { say } from "./format/wrap-block.js";
import { bootsLimit, historyKind, historyLimit, pauseDuration, since } from "./arguments.js";
import { EXIT_NOPERM, EXIT_OK, EXIT_SOFTWARE, EXIT_TEMPFAIL, EXIT_UNAVAILABLE, EXIT_USAGE } from "./exit-codes.js";

/** Where the commands write and how they end; tests hand in their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
});

export interface SocketOptions {
  json?: boolean;
  socket?: string;
}

/** What one command asks and how it shows the answer to a person. */
export interface Exchange {
  control: boolean;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  human(body: unknown, paint: Paint): string;
  /** How long to wait for the answer (a maintenance check runs before it answers); 5 s by default. */
  timeoutMs?: number;
}

/** Who asked, for the journal: the sudo user when there is one. */
export function whoAsks(env: NodeJS.ProcessEnv): string {
  const user = env.SUDO_USER ?? env.USER ?? safeUserName();
  return `${user} (cli)`;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? "?"}`;
  }
}

/** Map an error answer to an exit code: 400 is the caller's mistake, 403 a permission, the rest the daemon's. */
function exitCodeFor(answer: SocketAnswer): number {
  if (answer.status === 400) return EXIT_USAGE;
  if (answer.status === 403) return EXIT_NOPERM;
  return EXIT_SOFTWARE;
}

function describeError(answer: SocketAnswer): string {
  const body = answer.body as { error?: string; detail?: unknown } | null;
  if (!body?.error) return `songnodes-watchdog answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
  const detail = Array.isArray(body.detail)
    ? body.detail.map((issue: { path?: string; message?: string }) => `\n  ${issue.path ? `${issue.path}: ` : ""}${issue.message ?? JSON.stringify(issue)}`).join("")
    : body.detail ? ` (${JSON.stringify(body.detail)})` : "";
  return `songnodes-watchdog: ${body.error}${detail}`;
}

/** Ask the daemon and print the answer; returns the exit code. Exported for tests. */
export async function exchange(io: CliIo, options: SocketOptions, what: Exchange): Promise<number> {
  const runtimeDir = runtimeDirFrom(io.env);
  const socketPath = options.socket ?? (what.control ? controlSocketPath(runtimeDir) : statusSocketPath(runtimeDir));
  try {
    const answer = await askDaemon({ socketPath, method: what.method, path: what.path, body: what.body, ...(what.timeoutMs ? { timeoutMs: what.timeoutMs } : {}) });
    if (answer.status < 200 || answer.status >= 300) {
      say(io.stderr, describeError(answer));
      return exitCodeFor(answer);
    }
    if (options.json) io.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
    else io.stdout.write(what.human(answer.body, createPaint(wantsColour(io.stdout, io.env))));
    return EXIT_OK;
  } catch (error) {
    say(io.stderr, (error as Error).message);
    if (error instanceof DaemonUnavailableError) return EXIT_UNAVAILABLE;
    if (error instanceof DaemonBusyError) return EXIT_TEMPFAIL;
    if (error instanceof SocketPermissionError) return EXIT_NOPERM;
    if (error instanceof SocketPathError) return EXIT_USAGE;
    return EXIT_SOFTWARE;
  }
}

function query(pairs: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(pairs)) if (value !== undefined) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

const withSocketOptions = (command: Command, which: string) =>
  command.option("--json", "print the daemon's JSON answer").option("--socket <path>", `the ${which} socket to ask`);

/** Register the socket client commands. */
export function registerStatusCommands(program: Command, io: CliIo = processIo()): void {
  const run = <O>(what: (options: O) => Exchange) => async (options: O & SocketOptions) => {
    io.setExitCode(await exchange(io, options, what(options)));
  };

  withSocketOptions(program.command("status").description("what the daemon is doing now"), "status").action(
    run(() => ({ control: false, method: "GET", path: "/v1/status", human: (body, paint) => renderStatus(body as StatusView, paint) })),
  );

  withSocketOptions(program.command("history").description("what the daemon saw and did, newest first"), "status")
    .option("--limit <n>", "at most this many entries (1–1000)", historyLimit, "50")
    .option("--since <time>", 'only entries after this time (ISO 8601) or this long ago ("2h")', since)
    .option("--kind <kind>", "only boot, phase, observation, action, pause or note entries", historyKind)
    .action(
      run((o: { limit: string; since?: string; kind?: string }) => ({
        control: false, method: "GET", path: `/v1/history${query({ limit: o.limit, since: o.since, kind: o.kind })}`,
        human: (body, paint) => renderHistory((body as { entries: HistoryEntry[] }).entries, paint, { kind: o.kind, since: o.since }),
      })),
    );

  withSocketOptions(program.command("boots").description("recent boots and each one's time to healthy"), "status")
    .option("--limit <n>", "at most this many boots (1–1000)", bootsLimit, "10")
    .action(
      run((o: { limit: string }) => ({
        control: false, method: "GET", path: `/v1/boots${query({ limit: o.limit })}`,
        human: (body, paint) => renderBoots((body as { boots: BootRecord[] }).boots, paint),
      })),
    );

  withSocketOptions(program.command("pause").description("stop taking remedies for a while (maintenance)"), "control")
    .requiredOption("--for <duration>", 'how long ("30m", "2h", at most 7d); the pause ends by itself', pauseDuration)
    .requiredOption("--reason <text>", "why, for the journal")
    .action(
      run((o: { for: string; reason: string }) => ({
        control: true, method: "POST", path: "/v1/pause", body: { duration: o.for, reason: o.reason, by: whoAsks(io.env) },
        human: (body) => {
          const paused = (body as { paused: { until: number; reason: string } }).paused;
          return `Paused until ${formatWhen(paused.until, Date.now())}: ${paused.reason}\n`;
        },
      })),
    );

  withSocketOptions(program.command("resume").description("end a pause (or a gave-up) and act again"), "control")
    .option("--reason <text>", "why, for the journal")
    .action(
      run((o: { reason?: string }) => ({
        control: true, method: "POST", path: "/v1/resume", body: { reason: o.reason, by: whoAsks(io.env) },
        human: () => "Resumed: the watchdog acts again.\n",
      })),
    );

  withSocketOptions(program.command("check-now").description("ask the running daemon to look now, and act if a remedy is due (check only looks)"), "control")
    .option("--reason <text>", "why, for the journal")
    .action(
      run((o: { reason?: string }) => ({
        control: true, method: "POST", path: "/v1/check-now", body: { reason: o.reason, by: whoAsks(io.env) },
        human: () => "Check requested.\n",
      })),
    );
}
