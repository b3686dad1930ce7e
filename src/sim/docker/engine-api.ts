// dockerd's Engine API on a unix socket, reduced to what the watchdog uses on the registry
// container: ping, version, inspect and restart, with Docker's shapes and Docker's 404 body.
// Paths are accepted with or without a /v1.xx prefix, as dockerd accepts them.
import { createHash } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { rm } from "node:fs/promises";
import type { RegistryDriver } from "../registry/registry-driver.js";
import { containerInspectBody } from "./inspect-body.js";

export interface DockerEngineStandInOptions {
  socketPath: string;
  registry: RegistryDriver;
  /** The simulator's clock for StartedAt/FinishedAt; default Date.now. */
  now?: () => number;
}

export interface DockerEngineStandIn {
  readonly socketPath: string;
  /** Restarts dockerd was asked for. */
  restartRequests(): number;
  close(): Promise<void>;
}

/** The API version the stand-in claims, a Docker 27 value. */
export const STAND_IN_API_VERSION = "1.47";

const ROUTE = /^(?:\/v\d+\.\d+)?(\/.*)$/;
const CONTAINER = /^\/containers\/([^/]+)\/(json|restart)$/;

/** Listen on `socketPath` (a stale file there is replaced) and answer as dockerd would. */
export async function startDockerEngineStandIn(options: DockerEngineStandInOptions): Promise<DockerEngineStandIn> {
  const { registry, socketPath } = options;
  const now = options.now ?? Date.now;
  const id = createHash("sha256").update(`container ${registry.containerName}`).digest("hex");
  const times = { startedAt: now(), finishedAt: null as number | null, last: registry.containerState() };
  let restarts = 0;

  // Docker tracks these itself; the model only knows the state, so notice transitions here.
  const observe = () => {
    const state = registry.containerState();
    if (state === times.last) return;
    if (state === "running") times.startedAt = now();
    else if (times.last === "running") times.finishedAt = now();
    times.last = state;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === null ? "" : typeof body === "string" ? body : JSON.stringify(body);
      response.writeHead(status, { "api-version": STAND_IN_API_VERSION, "content-type": "application/json", ...headers });
      response.end(status === 204 ? undefined : text);
    };
    const path = ROUTE.exec(new URL(request.url ?? "/", "http://docker").pathname)?.[1] ?? "/";
    if (path === "/_ping") return send(200, "OK", { "content-type": "text/plain; charset=utf-8", ostype: "linux" });
    if (path === "/version" && request.method === "GET") {
      return send(200, { Version: "27.5.1", ApiVersion: STAND_IN_API_VERSION, MinAPIVersion: "1.24", Os: "linux", Arch: "amd64" });
    }
    const route = CONTAINER.exec(path);
    if (!route) return send(404, { message: "page not found" });
    const [, rawName, verb] = route;
    const name = decodeURIComponent(rawName ?? "").replace(/^\//, "");
    observe();
    const known = (name === registry.containerName || (name.length >= 12 && id.startsWith(name))) && registry.containerState() !== "missing";
    if (!known) return send(404, { message: `No such container: ${name}` });
    if (registry.containerState() === "unknown") return send(500, { message: "stand-in: the container's state cannot be read" });
    if (verb === "json" && request.method === "GET") return send(200, containerInspectBody(id, registry, times));
    if (verb === "restart" && request.method === "POST") {
      restarts++;
      await registry.restart();
      observe();
      return send(204, null);
    }
    send(404, { message: "page not found" });
  };

  await rm(socketPath, { force: true });
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `stand-in error: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    restartRequests: () => restarts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
