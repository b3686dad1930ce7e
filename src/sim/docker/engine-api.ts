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

/** The oldest API version the stand-in accepts, as a Docker 27 daemon does. */
const MIN_API_VERSION = "1.24";
const ENGINE_VERSION = "27.5.1";
const ENGINE_HEADERS = { "api-version": STAND_IN_API_VERSION, "docker-experimental": "false", ostype: "linux", server: `Docker/${ENGINE_VERSION} (linux)` };

const ROUTE = /^(?:\/v(\d+\.\d+))?(\/.*)$/;
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
    // dockerd's router adds its headers to every answer it routes; a 204 has no content type.
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === null ? "" : typeof body === "string" ? body : JSON.stringify(body);
      const type: Record<string, string> = status === 204 ? {} : { "content-type": "application/json" };
      response.writeHead(status, { ...ENGINE_HEADERS, ...type, ...headers });
      response.end(status === 204 ? undefined : text);
    };
    // Outside the router (an unknown path) dockerd answers bare, without its own headers.
    const notFound = () => {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "page not found" }));
    };
    const match = ROUTE.exec(new URL(request.url ?? "/", "http://docker").pathname);
    const path = match?.[2] ?? "/";
    const refused = versionRefusal(match?.[1]);
    if (refused !== null) return send(400, { message: refused });
    if (path === "/_ping") {
      return send(200, "OK", { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache, no-store, must-revalidate", pragma: "no-cache" });
    }
    if (path === "/version" && request.method === "GET") return send(200, versionBody());
    const route = CONTAINER.exec(path);
    if (!route) return notFound();
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
    notFound();
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

/** dockerd's 400 for a pinned version it does not speak, or null. */
function versionRefusal(version: string | undefined): string | null {
  if (version === undefined) return null;
  const [major, minor] = version.split(".").map(Number);
  const compare = (other: string) => {
    const [otherMajor, otherMinor] = other.split(".").map(Number);
    return (major ?? 0) - (otherMajor ?? 0) || (minor ?? 0) - (otherMinor ?? 0);
  };
  if (compare(STAND_IN_API_VERSION) > 0) return `client version ${version} is too new. Maximum supported API version is ${STAND_IN_API_VERSION}`;
  if (compare(MIN_API_VERSION) < 0) {
    return `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
  }
  return null;
}

/** `GET /version` with the keys dockerd answers with. */
function versionBody(): Record<string, unknown> {
  const engine = { ApiVersion: STAND_IN_API_VERSION, Arch: "amd64", GitCommit: "stand-in", GoVersion: "go1.22.11", MinAPIVersion: MIN_API_VERSION, Os: "linux" };
  return {
    Platform: { Name: "songnodes simulator" },
    Components: [{ Name: "Engine", Version: ENGINE_VERSION, Details: engine }],
    Version: ENGINE_VERSION,
    ...engine,
    KernelVersion: "6.1.0",
    BuildTime: "2025-01-21T00:00:00.000000000+00:00",
  };
}
