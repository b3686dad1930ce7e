// The serving process's own control socket (sim-control.sock), HTTP/1.1 + JSON like the daemon's:
//   POST /v1/killall  what the generated k3s-killall.sh asks for: kill and clean up, start nothing
//   POST /v1/faults   inject a fault now (a scenario fault without `at`)
//   POST /v1/faults/clear  clear every fault: the model stops failing, and what is still broken
//                     heals by the daemon's ordinary remedy (a restart), or by itself
//   GET  /v1/host/filesystem?path=P  the simulated host's file system usage at P (what the daemon's
//                     host-disk check reads here instead of statfs(2), `maintenance.disk.simulatedHost`)
//   GET  /v1/node     the model's one-line truth: k3s, API, node, registry, pods; the pod count and
//                     the API server's request counts by kind (what the benchmarks read)
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { rmSync } from "node:fs";
import type { ApiRequestCounts } from "../kube/api-server.js";
import type { Fault } from "../model/faults.js";
import { FaultInputError, parseFault } from "./fault-input.js";

/** What the control socket can do to the served node. */
export interface ControlTarget {
  killall(): void;
  inject(fault: Fault): void;
  /** Clear every fault switch; returns what was cleared, in words. */
  clearFaults(): string[];
  /** The simulated host's usage at `path`, or null when the model has no such file system. */
  filesystem?(path: string): { totalBytes: number; availableBytes: number; freeBytes: number } | null;
  describe(): { nodeTime: string; wallTime: string; speed: number; healthy: boolean; verdict?: string; cause?: string; summary: string; pods?: number; apiRequests?: ApiRequestCounts };
}

/** A listening control socket. */
export interface ControlSocket {
  readonly path: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(`${JSON.stringify(body)}\n`);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > BODY_LIMIT) reject(new FaultInputError(`body larger than ${BODY_LIMIT} bytes`));
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}

async function handle(target: ControlTarget, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://sim");
  const path = url.pathname;
  try {
    if (request.method === "GET" && path === "/v1/node") return send(response, 200, target.describe());
    if (request.method === "GET" && path === "/v1/host/filesystem" && target.filesystem) {
      const usage = target.filesystem(url.searchParams.get("path") ?? "");
      return usage ? send(response, 200, usage) : send(response, 404, { error: "ENOENT" });
    }
    if (request.method === "POST" && path === "/v1/killall") {
      target.killall();
      return send(response, 200, { killall: "done", node: target.describe().summary });
    }
    if (request.method === "POST" && path === "/v1/faults/clear") {
      const cleared = target.clearFaults();
      return send(response, 200, { cleared, node: target.describe().summary });
    }
    if (request.method === "POST" && path === "/v1/faults") {
      const text = await readBody(request);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new FaultInputError(`the body is not JSON: ${text.slice(0, 200)}`);
      }
      const fault = parseFault(body);
      target.inject(fault);
      return send(response, 200, { injected: fault, node: target.describe().summary });
    }
    send(response, 404, { error: `no ${request.method} ${path}; try POST /v1/faults, POST /v1/faults/clear, POST /v1/killall, GET /v1/node, GET /v1/host/filesystem?path=/` });
  } catch (error) {
    if (error instanceof FaultInputError) return send(response, 400, { error: error.message });
    send(response, 500, { error: (error as Error).message });
  }
}

/** Listen on `path` (a stale file there is replaced). */
export function startControlSocket(path: string, target: ControlTarget): Promise<ControlSocket> {
  rmSync(path, { force: true });
  const server = http.createServer((request, response) => void handle(target, request, response));
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve({
        path,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
