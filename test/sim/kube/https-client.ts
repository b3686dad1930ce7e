// A tiny HTTPS client for the API server tests: trusts the simulator's CA, has a timeout, and
// reads a watch stream line by line.
import { request } from "node:https";
import type { IncomingMessage } from "node:http";

export interface SimResponse {
  status: number;
  headers: IncomingMessage["headers"];
  text: string;
  json(): any;
}

export interface SimRequest {
  method?: string;
  token?: string | null;
  body?: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One request to the simulated API server; rejects on a network error or the timeout. */
export function call(base: string, ca: string, path: string, options: SimRequest = {}): Promise<SimResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) {
      headers["content-type"] ??= "application/json";
      // Node sends a DELETE body unframed unless its length is given.
      headers["content-length"] = String(Buffer.byteLength(options.body));
    }
    const req = request(new URL(path, base), { method: options.method ?? "GET", ca, headers, timeout: options.timeoutMs ?? 5000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on("timeout", () => req.destroy(new Error("client timeout")));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** An open watch: events as they arrive, and a way to wait for the n-th one or the end. */
export interface WatchLines {
  status: number;
  events: { type: string; object: any }[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

/** Open a watch (the path must carry watch=1) and collect its newline-delimited events. */
export function openWatch(base: string, ca: string, path: string, token: string): Promise<WatchLines> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { ca, headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      const events: WatchLines["events"] = [];
      const waiters: (() => void)[] = [];
      let buffer = "";
      let endedResolve: () => void = () => {};
      const ended = new Promise<void>((r) => (endedResolve = r));
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on("end", () => endedResolve());
      res.on("close", () => endedResolve());
      res.on("error", () => endedResolve());
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended,
        close: () => req.destroy(),
        async waitFor(count, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length < count) {
            if (Date.now() > deadline) throw new Error(`watch: ${events.length} of ${count} events after ${timeoutMs} ms`);
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 50);
            });
          }
        },
      });
    });
    req.on("error", reject);
    req.end();
  });
}
