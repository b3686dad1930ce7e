import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDockerClient } from "../../../src/registry/docker-client.js";
import { httpRequest } from "../../../src/registry/http-request.js";
import { startRegistryRig, type RegistryRig } from "./registry-rig.js";

let rig: RegistryRig | null = null;
let dir: string | null = null;
let server: Server | http.Server | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
  if (server) {
    if (server instanceof http.Server) server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const tempSocket = () => {
  dir = mkdtempSync(join(tmpdir(), "docker-client-"));
  return join(dir, "docker.sock");
};
const signal = () => AbortSignal.timeout(5_000);

describe("Docker Engine API stand-in with the Docker client", () => {
  it("answers /_ping and /version like dockerd", async () => {
    rig = await startRegistryRig();
    const ping = await httpRequest({ socketPath: rig.dockerSocket, url: "/_ping", timeoutMs: 2_000 });
    expect(ping).toMatchObject({ kind: "response", status: 200, body: "OK" });
    const version = await httpRequest({ socketPath: rig.dockerSocket, url: "/v1.41/version", timeoutMs: 2_000 });
    expect(version.kind === "response" && JSON.parse(version.body).ApiVersion).toBe("1.41");
  });

  it("inspects the running registry container with Docker's shape", async () => {
    rig = await startRegistryRig();
    const raw = await httpRequest({ socketPath: rig.dockerSocket, url: "/v1.40/containers/registry/json", timeoutMs: 2_000 });
    const body = raw.kind === "response" ? JSON.parse(raw.body) : null;
    expect(body).toMatchObject({ Name: "/registry", Config: { Image: "registry:2" }, State: { Status: "running", Running: true, Restarting: false } });
    expect(body.State.FinishedAt).toBe("0001-01-01T00:00:00Z");
    const client = createDockerClient({ socketPath: rig.dockerSocket });
    expect(await client.inspectContainer("registry", signal())).toMatchObject({ kind: "found", status: "running", running: true });
  });

  it("reports an exited container with its exit code", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false });
    const client = createDockerClient({ socketPath: rig.dockerSocket, apiVersion: "1.41" });
    expect(await client.inspectContainer("registry", signal())).toMatchObject({ kind: "found", status: "exited", running: false, exitCode: 2 });
  });

  it("answers 404 No such container for any other name", async () => {
    rig = await startRegistryRig();
    const client = createDockerClient({ socketPath: rig.dockerSocket });
    expect(await client.inspectContainer("postgres", signal())).toEqual({ kind: "missing", message: "No such container: postgres" });
    expect(await client.restartContainer("postgres", signal())).toMatchObject({ ok: false, missing: true });
  });

  it("restarts the container through POST /containers/registry/restart", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false });
    const client = createDockerClient({ socketPath: rig.dockerSocket });
    expect(await client.restartContainer("registry", signal())).toEqual({ ok: true });
    expect(rig.registry.restartCount()).toBe(1);
    expect(await client.inspectContainer("registry", signal())).toMatchObject({ kind: "found", status: "running" });
  });

  it("a missing Docker socket is unreachable, not a throw", async () => {
    const client = createDockerClient({ socketPath: tempSocket() });
    const inspection = await client.inspectContainer("registry", signal());
    expect(inspection).toMatchObject({ kind: "unreachable" });
    expect(inspection.kind === "unreachable" && inspection.reason).toMatch(/Docker socket .* is missing/);
  });

  it("a dockerd that accepts and never answers runs into the client's timeout", async () => {
    const socketPath = tempSocket();
    const held: Socket[] = [];
    const silent = createNetServer((socket) => void held.push(socket)); // accepts, never answers
    server = silent;
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve));
    const client = createDockerClient({ socketPath, timeoutMs: 200 });
    const inspection = await client.inspectContainer("registry", signal());
    for (const socket of held) socket.destroy();
    expect(inspection.kind === "unreachable" && inspection.reason).toMatch(/no answer within 200 ms/);
  });

  it.each([
    ["malformed JSON", 200, "{not json", /malformed JSON/],
    ["an answer without State", 200, JSON.stringify({ Id: "abc" }), /malformed JSON.*no State/],
    ["HTTP 500", 500, JSON.stringify({ message: "driver failed" }), /HTTP 500: driver failed/],
    ["a 404 that is not about the container", 404, "404 page not found", /HTTP 404: 404 page not found/],
  ])("a dockerd answering %s is unreachable with the reason", async (_label, status, body, reason) => {
    const socketPath = tempSocket();
    const odd = http.createServer((_request, response) => response.writeHead(status).end(body));
    server = odd;
    await new Promise<void>((resolve) => odd.listen(socketPath, resolve));
    const inspection = await createDockerClient({ socketPath }).inspectContainer("registry", signal());
    expect(inspection.kind).toBe("unreachable");
    expect(inspection.kind === "unreachable" && inspection.reason).toMatch(reason);
  });
});
