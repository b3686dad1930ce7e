// A receiver on the loopback for the notification tests: it records every request and answers the
// way it is told to (ok, 500, 429 with Retry-After, hang, an oversized body, a redirect, down).
// It de-duplicates on the event id, as the docs tell receivers to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Behaviour = "ok" | "fail-500" | "rate-limited" | "hang" | "huge-body" | "redirect";

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  behaviour: Behaviour;
  /** Every request, answered or not. */
  requests: Received[];
  /** Event ids answered 2xx, each once (the de-duplicating receiver's view), with how often each came. */
  acknowledged: Map<string, number>;
  /** Seconds sent in Retry-After when rate-limited. */
  retryAfterSeconds: number;
  /** Stop listening (the port stays known, so `start` brings it back on the same one). */
  down(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Start a receiver on 127.0.0.1 (a fresh port, or `port`). */
export async function startReceiver(behaviour: Behaviour = "ok", port = 0): Promise<Receiver> {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  const receiver: Receiver = {
    url: "",
    port,
    behaviour,
    requests: [],
    acknowledged: new Map(),
    retryAfterSeconds: 2,
    down: async () => {
      if (server === null) return;
      const s = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: async () => {
      server = createServer((req, res) => void answer(req, res));
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server!.listen(receiver.port, "127.0.0.1", resolve));
      receiver.port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${receiver.port}`;
    },
    close: () => receiver.down(),
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: kept as text */
    }
    receiver.requests.push({ path: req.url ?? "/", headers: req.headers, body, at: Date.now() });
    switch (receiver.behaviour) {
      case "fail-500":
        res.writeHead(500).end("internal error");
        return;
      case "rate-limited":
        res.writeHead(429, { "retry-after": String(receiver.retryAfterSeconds) }).end("slow down");
        return;
      case "hang":
        return; // never answers
      case "huge-body":
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("x".repeat(8 * 1024 * 1024));
        return;
      case "redirect":
        res.writeHead(307, { location: `${receiver.url}/elsewhere` }).end();
        return;
      default: {
        const id = String(req.headers["x-songnodes-event-id"] ?? (body as { id?: string })?.id ?? "");
        receiver.acknowledged.set(id, (receiver.acknowledged.get(id) ?? 0) + 1);
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      }
    }
  }

  await receiver.start();
  return receiver;
}

/** Poll until `check` holds (every 20 ms), or fail naming `what`. */
export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
