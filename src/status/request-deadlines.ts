// Deadlines for a request's headers and for the whole request, one timer per open connection.
// Node enforces its own headersTimeout and requestTimeout by polling every connection on an
// interval (connectionsCheckingInterval) that runs for as long as the server listens: at 1 s, a
// listening server with no client at all woke the daemon every second, and that was the larger
// part of the idle daemon's CPU. These timers exist only while a connection does: a client that
// dribbles its headers or half a body is cut off on time, and an idle daemon sleeps. Node's own
// check stays, on its default 30 s interval, as a backstop.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface RequestDeadlines {
  /** From the connection (or the end of the previous answer) to the request's last header. */
  headersTimeoutMs: number;
  /** From the same moment to the whole request, body included. */
  requestTimeoutMs: number;
}

/** Arm the deadlines on every connection of `server`; `onLate` answers and closes (its socket is still open). */
export function enforceRequestDeadlines(server: Server, deadlines: RequestDeadlines, onLate: (socket: Socket) => void): void {
  const armed = new WeakMap<Socket, { headers: NodeJS.Timeout | null; request: NodeJS.Timeout | null }>();
  const clear = (socket: Socket, which: "headers" | "request" | "both") => {
    const timers = armed.get(socket);
    if (timers === undefined) return;
    if (which !== "request" && timers.headers !== null) {
      clearTimeout(timers.headers);
      timers.headers = null;
    }
    if (which !== "headers" && timers.request !== null) {
      clearTimeout(timers.request);
      timers.request = null;
    }
  };
  const late = (socket: Socket) => () => {
    clear(socket, "both");
    if (!socket.destroyed) onLate(socket);
  };
  // A new request may begin: both deadlines run from now.
  const arm = (socket: Socket) => {
    clear(socket, "both");
    armed.set(socket, { headers: setTimeout(late(socket), deadlines.headersTimeoutMs), request: setTimeout(late(socket), deadlines.requestTimeoutMs) });
  };
  server.on("connection", (socket: Socket) => {
    arm(socket);
    socket.once("close", () => clear(socket, "both"));
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    clear(socket, "headers");
    // The body read, or an answer given without it: this request is in.
    request.once("end", () => clear(socket, "request"));
    response.once("finish", () => (socket.destroyed ? clear(socket, "both") : arm(socket)));
  });
}
