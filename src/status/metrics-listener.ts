// The optional TCP listener for Prometheus (`metrics.listen`, off by default): Prometheus cannot
// scrape a unix socket. Read-only by construction: it answers GET /metrics and nothing else (no
// status body, no history, no control), with the same limits as the unix sockets.
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { enforceRequestDeadlines } from "./request-deadlines.js";
import type { Logger } from "../ports.js";

export interface MetricsListener {
  /** The address actually bound ("127.0.0.1:9465"; the port is real when 0 was asked). */
  address: string;
  close(): Promise<void>;
}

/** Split "127.0.0.1:9465" or "[::1]:9465" into host and port. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  if (match === null) throw new Error(`not an address and port: ${JSON.stringify(listen)}`);
  return { host: match[1]!, port: Number(match[2]) };
}

/** Listen on `listen` and serve `render()` at GET /metrics. */
export function startMetricsListener(options: { listen: string; render: () => string; logger: Logger }): Promise<MetricsListener> {
  const { host, port } = parseListen(options.listen);
  // Node's own timeout check polls on connectionsCheckingInterval while the server listens: left at
  // its 30 s default, with deadlines that exist only while a connection does (request-deadlines.ts).
  const server: Server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, maxHeaderSize: 8 * 1024, connectionsCheckingInterval: 30_000 }, (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("only /metrics is served here\n");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("read-only: GET /metrics\n");
      return;
    }
    try {
      const body = options.render();
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      options.logger.error(`metrics listener: ${(error as Error).message}`);
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("metrics unavailable\n");
    }
  });
  enforceRequestDeadlines(server, { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000 }, (socket) => socket.destroy());
  server.maxConnections = 32;
  server.setTimeout(10_000, (socket: Socket) => socket.destroy());
  server.on("clientError", (_error, socket: Socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const bound = server.address();
      const address = bound !== null && typeof bound === "object" ? (bound.family === "IPv6" ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`) : options.listen;
      options.logger.info(`metrics for Prometheus on http://${address}/metrics`, { metrics: address });
      resolve({
        address,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
