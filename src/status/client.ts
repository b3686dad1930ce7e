// A small HTTP-over-unix-socket client for the CLI, with a timeout. A daemon that is not running or
// a socket that refuses this user becomes a clear error the CLI maps to an exit code, never a trace.
import { request } from "node:http";
import type { Socket } from "node:net";
import { statSync } from "node:fs";
import { lookUpGroupName } from "./group.js";
import { untrustedSocketReason } from "./socket-owner.js";
import { socketPathProblem } from "./paths.js";

/** Nothing answers on the socket: the daemon is not running (CLI exit 69). */
export class DaemonUnavailableError extends Error {
  override name = "DaemonUnavailableError";
}

/** The socket or its directory is not root's: whatever listens there is not the daemon (exit 69). */
export class UntrustedSocketError extends DaemonUnavailableError {
  override name = "UntrustedSocketError";
}

/** The socket's path is too long to be a unix socket's: nothing can listen there (CLI exit 64). */
export class SocketPathError extends Error {
  override name = "SocketPathError";
}

/** The daemon took the connection but gave no answer in time, or said it is busy (CLI exit 75). */
export class DaemonBusyError extends Error {
  override name = "DaemonBusyError";
}

/** The socket's permissions refuse this user (CLI exit 77). */
export class SocketPermissionError extends Error {
  override name = "SocketPermissionError";
}

/** An answer from the daemon: status, parsed JSON body (or null) and the raw text. */
export interface SocketAnswer {
  status: number;
  body: unknown;
  text: string;
}

export interface SocketRequest {
  socketPath: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  timeoutMs?: number;
}

/** Answers larger than this are cut off: a status body is a few kilobytes, history at most a few MB. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * Send one request; rejects with DaemonUnavailableError, SocketPermissionError, DaemonBusyError or
 * SocketPathError when it cannot. Nothing is sent to a socket that is not root's, in a directory
 * only root can write: a local user must not be able to plant a control.sock that captures root's
 * pause.
 */
export function askDaemon(options: SocketRequest): Promise<SocketAnswer> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const tooLong = socketPathProblem(options.socketPath);
  if (tooLong !== null) return Promise.reject(new SocketPathError(`songnodes-watchdog cannot be asked on ${options.socketPath}: ${tooLong}; give a shorter --socket or RUNTIME_DIRECTORY`));
  const untrusted = untrustedSocketReason(options.socketPath);
  if (untrusted !== null) return Promise.reject(new UntrustedSocketError(`not asking ${options.socketPath}: ${untrusted}`));
  let connected = false;
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(connected ? explainAfterConnect(error, options.socketPath, timeoutMs) : explain(error, options.socketPath, timeoutMs));
    const req = request(
      {
        socketPath: options.socketPath,
        method: options.method,
        path: options.path,
        headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        if (res.statusCode === 503) {
          res.resume();
          reject(new DaemonBusyError(`songnodes-watchdog is busy (it answered 503 on ${options.socketPath}); try again in a moment`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            // Prometheus text, or a broken answer: the caller gets the raw text.
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
        res.on("error", fail);
      },
    );
    req.on("socket", (socket: Socket) => socket.once("connect", () => (connected = true)));
    req.on("error", fail);
    req.end(payload);
  });
}

/** The daemon accepted the connection, then gave no answer (a timeout, or the connection cut): busy, not gone. */
function explainAfterConnect(error: NodeJS.ErrnoException, socketPath: string, timeoutMs: number): Error {
  if (error.code === "ABORT_ERR" || error.name === "AbortError" || error.name === "TimeoutError") {
    return new DaemonBusyError(`songnodes-watchdog is busy: it took the connection on ${socketPath} but did not answer within ${timeoutMs / 1000}s; try again`);
  }
  return new DaemonBusyError(`songnodes-watchdog is busy: it took the connection on ${socketPath} but closed it without an answer (${error.code ?? error.message}); try again`);
}

/** Turn a socket error into the sentence a person needs. */
export function explain(error: NodeJS.ErrnoException, socketPath: string, timeoutMs: number): Error {
  switch (error.code) {
    case "ENOENT":
    case "ECONNREFUSED":
    case "ENOTDIR":
      return new DaemonUnavailableError(`songnodes-watchdog is not running (no answer on ${socketPath})`);
    case "EAGAIN":
      // A unix socket whose listen backlog is full: something is there, swamped with connections.
      return new DaemonBusyError(`songnodes-watchdog is busy: ${socketPath} has more connections waiting than it takes; try again`);
    case "EACCES":
    case "EPERM":
      return new SocketPermissionError(permissionAdvice(socketPath));
    case "ABORT_ERR":
      return new DaemonUnavailableError(`songnodes-watchdog did not answer on ${socketPath} within ${timeoutMs / 1000}s`);
    default:
      return new DaemonUnavailableError(`songnodes-watchdog could not be asked on ${socketPath}: ${error.message}`);
  }
}

function permissionAdvice(socketPath: string): string {
  try {
    const stat = statSync(socketPath);
    if ((stat.mode & 0o070) === 0) return `permission denied on ${socketPath}: it is root only; run this command with sudo`;
    return `permission denied on ${socketPath}: ask to be added to group ${lookUpGroupName(stat.gid)} (or use sudo)`;
  } catch {
    return `permission denied on ${socketPath}: ask to be added to the daemon's status group (or use sudo)`;
  }
}
