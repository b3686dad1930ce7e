// The status and control sockets: node:http on two unix sockets in the runtime directory.
// status.sock is read-only, mode 0660 with a configurable group, for the owner's monitoring;
// control.sock is root only (0600) and also serves the read endpoints.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Clock, Logger } from "../ports.js";
import { lookUpGid } from "./group.js";
import { controlSocketPath, socketPathProblem, statusSocketPath } from "./paths.js";
import { shareConnectionsFairly } from "./fair-connections.js";
import { readsOffThread } from "./journal-reader-thread.js";
import { readsOnLoopThread, type JournalReads } from "./journal-reads.js";
import { createQueryQueue } from "./query-queue.js";
import { enforceRequestDeadlines } from "./request-deadlines.js";
import { HttpError, rawErrorResponse, sendError } from "./responses.js";
import { findRoute } from "./routes.js";
import { clearStaleSocket, ensureRuntimeDir, removeSocket, secureSocket } from "./socket-file.js";
import type { StatusSource } from "./source.js";

/**
 * Limits that keep a slow or hostile client from costing more than a little memory, or from
 * starving the others: a real client sends its request at once and is answered in milliseconds.
 */
export interface ServerLimits {
  /** Whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** The headers must arrive within this from the connection's start (slowloris). */
  headersTimeoutMs: number;
  /** An idle connection is closed after this; between two requests of one connection, keepAliveMs. */
  idleTimeoutMs: number;
  keepAliveMs: number;
  /**
   * status.sock's cap: far more than 500 slow connections, so a slowloris does not fill it. When full,
   * the oldest connection not being answered, waiting at least 100 ms, is evicted for the newcomer.
   */
  maxConnections: number;
  /** control.sock's cap (root only, so it cannot be crowded by the status group). */
  maxControlConnections: number;
  maxHeaderBytes: number;
  /** Requests one connection may make before it is closed: its budget. */
  maxRequestsPerConnection: number;
  /** Journal queries (history, boots) waiting or being answered; more are answered 503 at once. */
  maxQueuedQueries: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  requestTimeoutMs: 5_000,
  headersTimeoutMs: 2_000,
  idleTimeoutMs: 5_000,
  keepAliveMs: 1_000,
  maxConnections: 1024,
  maxControlConnections: 128,
  maxHeaderBytes: 8 * 1024,
  maxRequestsPerConnection: 100,
  maxQueuedQueries: 16,
};

export interface StatusServerOptions {
  runtimeDir: string;
  /** The group allowed to read status.sock (config `status.group`, root by default). */
  group: string;
  source: StatusSource;
  /**
   * The journal file: history and boots are then read on a thread of their own with a read-only
   * connection, so no reader can hold up the loop. Absent or null (a journal kept in memory), they
   * are read on the loop's thread, a short page per turn, within a time budget.
   */
  journalPath?: string | null;
  logger: Logger;
  clock?: Clock;
  limits?: Partial<ServerLimits>;
}

/** The running sockets; `close()` stops both and removes their files. */
export interface StatusServer {
  statusPath: string;
  controlPath: string;
  close(): Promise<void>;
}

/** Start both sockets; throws SocketInUseError when another daemon already answers on one. */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const statusPath = statusSocketPath(options.runtimeDir);
  const controlPath = controlSocketPath(options.runtimeDir);
  ensureRuntimeDir(options.runtimeDir);
  await clearStaleSocket(statusPath);
  await clearStaleSocket(controlPath);

  let gid = lookUpGid(options.group);
  if (gid === null) {
    // A typo in the group must not stop the watchdog from recovering the node: fall back to root.
    options.logger.error(`status group ${JSON.stringify(options.group)} is not in /etc/group; status.sock stays root-only`, { group: options.group });
    gid = 0;
  }
  // One queue for both sockets: the journal is one resource, and control.sock's readers share it.
  const reads: JournalReads = options.journalPath
    ? readsOffThread({ path: options.journalPath, logger: options.logger, maxQueued: limits.maxQueuedQueries })
    : readsOnLoopThread(options.source, createQueryQueue(limits.maxQueuedQueries));
  const status = createSocketServer(options, limits, false, reads);
  const control = createSocketServer(options, limits, true, reads);
  try {
    await listen(status, statusPath, 0o660, gid, options.logger);
    try {
      await listen(control, controlPath, 0o600, null, options.logger);
    } catch (error) {
      await stop(status, statusPath);
      throw error;
    }
  } catch (error) {
    await reads.close();
    throw error;
  }
  options.logger.info(`answering on ${statusPath} (group ${options.group}) and ${controlPath}`, { statusPath, controlPath });
  return {
    statusPath,
    controlPath,
    close: async () => {
      await Promise.all([stop(status, statusPath), stop(control, controlPath), reads.close()]);
    },
  };
}

function createSocketServer(options: StatusServerOptions, limits: ServerLimits, controlSocket: boolean, reads: JournalReads): Server {
  const clock = options.clock ?? { now: () => Date.now() };
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: Math.min(limits.keepAliveMs, limits.idleTimeoutMs),
      maxHeaderSize: limits.maxHeaderBytes,
      // Node's own check of those two runs on this interval while the server listens: kept at its
      // default as a backstop; the deadlines below cut a slow client on time without waking an idle daemon.
      connectionsCheckingInterval: 30_000,
    },
    (request, response) => void answer(request, response, controlSocket, options, clock, reads),
  );
  enforceRequestDeadlines(server, { headersTimeoutMs: limits.headersTimeoutMs, requestTimeoutMs: limits.requestTimeoutMs }, (socket) =>
    refuseMalformed(Object.assign(new Error("request not received in time"), { code: "ERR_HTTP_REQUEST_TIMEOUT" }), socket));
  shareConnectionsFairly(server, controlSocket ? limits.maxControlConnections : limits.maxConnections);
  server.maxRequestsPerSocket = limits.maxRequestsPerConnection;
  server.setTimeout(limits.idleTimeoutMs, (socket: Socket) => socket.destroy());
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => refuseMalformed(error, socket));
  return server;
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  controlSocket: boolean,
  options: StatusServerOptions,
  clock: Clock,
  reads: JournalReads,
): Promise<void> {
  try {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      throw new HttpError(400, "malformed request target", { target: request.url });
    }
    const route = findRoute(request.method ?? "GET", url.pathname, controlSocket);
    await route.handle({ request, response, url, source: options.source, now: clock.now(), reads });
  } catch (error) {
    if (!(error instanceof HttpError)) {
      options.logger.error("status socket request failed", { error: String(error), url: request.url });
    }
    // After a refused body the rest of it is unread: close rather than parse it as the next request.
    if (error instanceof HttpError && error.status === 413) response.setHeader("connection", "close");
    sendError(response, error);
  }
}

/** The HTTP parser gave up (random bytes, a header too large, a timeout): answer once, then close. */
function refuseMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || socket.destroyed || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "request headers too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "request not received in time"]
        : [400, "Bad Request", "malformed HTTP request"];
  socket.end(rawErrorResponse(status, reason, message));
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function listen(server: Server, path: string, mode: number, gid: number | null, logger: Logger): Promise<void> {
  const tooLong = socketPathProblem(path);
  if (tooLong !== null) return Promise.reject(new Error(`cannot listen on ${path}: ${tooLong}; give a shorter runtime directory`));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // The socket is created with its final mode: the umask at bind time sets it, so no chmod (which
    // would follow a link swapped in) is ever needed, and it is never connectable by others first.
    const previous = process.umask(0o777 & ~mode);
    try {
      server.listen(path, () => {
        server.off("error", reject);
        server.on("error", (error) => logger.error(`status socket ${path} failed`, { error: String(error) }));
        try {
          secureSocket(path, mode, gid);
        } catch (error) {
          if (gid === null) return reject(error);
          logger.warn(`could not set the group of ${path}`, { error: String(error) });
          try {
            secureSocket(path, mode, null);
          } catch (again) {
            return reject(again);
          }
        }
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  });
}

function stop(server: Server, path: string): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      removeSocket(path);
      resolve();
      return;
    }
    server.close(() => {
      removeSocket(path);
      resolve();
    });
    server.closeAllConnections();
  });
}
