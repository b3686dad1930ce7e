// dockerd's Engine API on a unix socket, reduced to what the watchdog uses on the registry
// container: ping, version, inspect and restart, with Docker's shapes and Docker's 404 body.
// Paths are accepted with or without a /v1.xx prefix, as dockerd accepts them.
import { createHash } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { rm } from "node:fs/promises";
import { release } from "node:os";
import type { RegistryDriver } from "../registry/registry-driver.js";
import { containerInspectBody } from "./inspect-body.js";
import { wallClockNs } from "./nano-time.js";

export interface DockerEngineStandInOptions {
  socketPath: string;
  registry: RegistryDriver;
  /** The clock for StartedAt/FinishedAt, in nanoseconds since the epoch; default the wall clock. */
  nowNs?: () => bigint;
}

export interface DockerEngineStandIn {
  readonly socketPath: string;
  /** Restarts dockerd was asked for. */
  restartRequests(): number;
  close(): Promise<void>;
}

/** The API version the stand-in claims: Debian's docker.io 20.10, the dockerd the nodes run. */
export const STAND_IN_API_VERSION = "1.41";

/** The oldest API version the stand-in accepts, as Debian's 20.10 daemon does. */
const MIN_API_VERSION = "1.12";
const ENGINE_VERSION = "20.10.24+dfsg1";
const GIT_COMMIT = "5d6db84";
const GO_VERSION = "go1.19.8";
const BUILD_TIME = "2026-05-07T21:09:36.000000000+00:00";
const ENGINE_HEADERS = { "api-version": STAND_IN_API_VERSION, "docker-experimental": "false", ostype: "linux", server: `Docker/${ENGINE_VERSION} (linux)` };

const ROUTE = /^(?:\/v(\d+\.\d+))?(\/.*)$/;
const CONTAINER = /^\/containers\/([^/]+)\/(json|restart)$/;

/** Listen on `socketPath` (a stale file there is replaced) and answer as dockerd would. */
export async function startDockerEngineStandIn(options: DockerEngineStandInOptions): Promise<DockerEngineStandIn> {
  const { registry, socketPath } = options;
  const now = options.nowNs ?? wallClockNs;
  const id = createHash("sha256").update(`container ${registry.containerName}`).digest("hex");
  // A container found stopped (or in a restart loop) has run and stopped once: it has a FinishedAt.
  const first = registry.containerState();
  const times = { createdAt: now(), startedAt: now(), finishedAt: first === "running" || first === "paused" ? null : now(), last: first };
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
    // dockerd's version check answers before its experimental header is added; a version too old
    // gets Go's plain http.Error, not the JSON error body.
    const refused = versionRefusal(match?.[1]);
    if (refused !== null) {
      const { "docker-experimental": _, ...versionHeaders } = ENGINE_HEADERS;
      response.writeHead(400, refused.tooOld
        ? { ...versionHeaders, "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" }
        : { ...versionHeaders, "content-type": "application/json" });
      return void response.end(refused.tooOld ? `${refused.message}\n` : JSON.stringify({ message: refused.message }));
    }
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
function versionRefusal(version: string | undefined): { message: string; tooOld: boolean } | null {
  if (version === undefined) return null;
  const [major, minor] = version.split(".").map(Number);
  const compare = (other: string) => {
    const [otherMajor, otherMinor] = other.split(".").map(Number);
    return (major ?? 0) - (otherMajor ?? 0) || (minor ?? 0) - (otherMinor ?? 0);
  };
  if (compare(STAND_IN_API_VERSION) > 0) {
    return { message: `client version ${version} is too new. Maximum supported API version is ${STAND_IN_API_VERSION}`, tooOld: false };
  }
  if (compare(MIN_API_VERSION) < 0) {
    const message = `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
    return { message, tooOld: true };
  }
  return null;
}

/** `GET /version` as Debian's docker.io 20.10 answers it, key for key. */
function versionBody(): Record<string, unknown> {
  const engine = {
    ApiVersion: STAND_IN_API_VERSION, Arch: "amd64", BuildTime: BUILD_TIME, Experimental: "false", GitCommit: GIT_COMMIT,
    GoVersion: GO_VERSION, KernelVersion: release(), MinAPIVersion: MIN_API_VERSION, Os: "linux",
  };
  return {
    Platform: { Name: "" },
    Components: [
      { Name: "Engine", Version: ENGINE_VERSION, Details: engine },
      { Name: "containerd", Version: "1.6.20~ds1", Details: { GitCommit: "1.6.20~ds1-1+deb12u3" } },
      { Name: "runc", Version: "1.1.5+ds1", Details: { GitCommit: "1.1.5+ds1-1+deb12u1" } },
      { Name: "docker-init", Version: "0.19.0", Details: { GitCommit: "" } },
    ],
    Version: ENGINE_VERSION,
    ApiVersion: STAND_IN_API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: GIT_COMMIT,
    GoVersion: GO_VERSION,
    Os: "linux",
    Arch: "amd64",
    KernelVersion: release(),
    BuildTime: BUILD_TIME,
  };
}
