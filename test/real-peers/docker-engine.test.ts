// The Docker client (src/registry/docker-client.ts) against Debian's real dockerd, and the Engine
// API stand-in (src/sim/docker) held against the same answers: where they differed, the stand-in
// was corrected (docs/testing.md lists each difference).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDockerClient } from "../../src/registry/docker-client.js";
import { httpRequest } from "../../src/registry/http-request.js";
import type { RegistryDetail } from "../../src/core/types.js";
import { startRegistryRig, type RegistryRig } from "../sim/docker/registry-rig.js";
import { describeWithPeers } from "./lib/peers-present.js";
import { startRealRegistryRig, type RealRegistryRig } from "./lib/real-registry-rig.js";

let rig: RealRegistryRig;
let standIn: RegistryRig | null = null;
let dockerdStopped = false;
const signal = () => AbortSignal.timeout(10_000);

/** The headers a client may look at, those that differ per answer (date, length) left out. */
const shownHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(["api-version", "ostype", "server", "docker-experimental", "content-type", "x-content-type-options"].filter((name) => name in headers).map((name) => [name, headers[name]]));

/** GET or POST on a Docker socket: status, JSON body (or the raw text) and the headers. */
async function call(socketPath: string, url: string, method: "GET" | "POST" = "GET") {
  const answer = await httpRequest({ socketPath, url, method, timeoutMs: 10_000 });
  if (answer.kind !== "response") throw new Error(`${method} ${url}: ${answer.message}`);
  let body: unknown = answer.body;
  try {
    body = JSON.parse(answer.body);
  } catch {
    // text (the /_ping answer)
  }
  return { status: answer.status, body, headers: answer.headers };
}

/**
 * A Docker time's shape: Docker's zero time, or RFC 3339 with nanoseconds (Go drops the fraction's
 * trailing zeros, so a real time has fewer than four digits once in a million reads), or neither.
 */
function timeShape(value: unknown): string {
  const text = String(value);
  if (text === "0001-01-01T00:00:00Z") return "zero";
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{4,9}Z$/.test(text) ? "nanoseconds" : `not RFC 3339 with nanoseconds: ${text}`;
}

/** What a client may rely on in State, with the values that differ per run (times, pids) reduced to their shape. */
function stateShape(state: Record<string, unknown>) {
  return {
    keys: Object.keys(state).sort(),
    Status: state.Status, Running: state.Running, Paused: state.Paused, Restarting: state.Restarting,
    Dead: state.Dead, ExitCode: state.ExitCode, hasPid: (state.Pid as number) > 0,
    StartedAt: timeShape(state.StartedAt), FinishedAt: timeShape(state.FinishedAt),
  };
}

async function standInState(container: RegistryDetail["container"]) {
  await standIn?.close();
  standIn = await startRegistryRig({ container, apiUp: container === "running" });
  return stateShape(((await call(standIn.dockerSocket, "/containers/registry/json")).body as { State: Record<string, unknown> }).State);
}

describeWithPeers("Docker client and Engine API stand-in against a real dockerd", ["dockerd", "docker", "registry"], () => {
  beforeAll(async () => {
    rig = await startRealRegistryRig("docker-engine");
  }, 60_000);
  afterEach(async () => {
    if (!dockerdStopped) await rig.removeContainers();
    await standIn?.close();
    standIn = null;
  });
  afterAll(async () => rig?.stop(), 60_000);

  const client = (apiVersion: string | null = null) => createDockerClient({ socketPath: rig.dockerd.socket, apiVersion });
  const realState = async () => stateShape(((await call(rig.dockerd.socket, "/containers/registry/json")).body as { State: Record<string, unknown> }).State);

  it("inspects a running registry: running, not restarting, exit code 0, a start time", async () => {
    await rig.runRegistry();
    const inspection = await client().inspectContainer("registry", signal());
    expect(inspection).toMatchObject({ kind: "found", status: "running", running: true, restarting: false, exitCode: 0 });
    expect(inspection.kind === "found" && inspection.startedAt).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(await standInState("running")).toEqual(await realState());
  });

  it("inspects a stopped registry: exited with code 2 (the registry's answer to SIGTERM)", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    await rig.dockerd.dockerOk(["stop", "registry"]);
    expect(await client().inspectContainer("registry", signal())).toMatchObject({ kind: "found", status: "exited", running: false, exitCode: 2 });
    expect(await standInState("exited")).toEqual(await realState());
  });

  it("inspects a paused registry: paused, and Docker counts it as running", async () => {
    await rig.runRegistry();
    await rig.dockerd.dockerOk(["pause", "registry"]);
    expect(await client().inspectContainer("registry", signal())).toMatchObject({ kind: "found", status: "paused", running: true, restarting: false });
    expect(await standInState("paused")).toEqual(await realState());
  });

  it("inspects a registry in a restart loop: restarting, running, no pid, the last exit code 1", async () => {
    await rig.runRegistry({ restart: "always", env: { REGISTRY_HTTP_ADDR: "127.0.0.1:not-a-port" } });
    let state = await realState();
    for (let i = 0; i < 100 && state.Status !== "restarting"; i++) {
      await sleep(50);
      state = await realState();
    }
    expect(state).toMatchObject({ Status: "restarting", Running: true, Restarting: true, hasPid: false, ExitCode: 1 });
    // The loop runs on between two reads: the client's own read waits for restarting too.
    let inspection = await client().inspectContainer("registry", signal());
    for (let i = 0; i < 100 && !(inspection.kind === "found" && inspection.restarting); i++) {
      await sleep(50);
      inspection = await client().inspectContainer("registry", signal());
    }
    expect(inspection).toMatchObject({ kind: "found", status: "restarting", running: true, restarting: true, exitCode: 1 });
    expect(await standInState("restarting")).toEqual(state);
  });

  it("a container that does not exist is missing, for inspect and restart alike, with dockerd's message", async () => {
    expect(await client().inspectContainer("registry", signal())).toEqual({ kind: "missing", message: "No such container: registry" });
    expect(await client().restartContainer("registry", signal())).toEqual({ ok: false, missing: true, reason: "dockerd answered HTTP 404: No such container: registry" });
    standIn = await startRegistryRig();
    for (const [url, method] of [["/containers/nope/json", "GET"], ["/containers/nope/restart", "POST"], ["/nonsense", "GET"]] as const) {
      const real = await call(rig.dockerd.socket, url, method);
      const stand = await call(standIn.dockerSocket, url, method);
      expect({ url, status: stand.status, body: stand.body }).toEqual({ url, status: real.status, body: real.body });
    }
  });

  it("restart answers 204 and the container runs again; during it Docker shows exited, never restarting", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    const watch = async (socket: string, url: string) => {
      const seen = new Set<string>();
      let polling = true;
      const poller = (async () => {
        while (polling) seen.add(String(((await call(socket, "/containers/registry/json")).body as { State: { Status: string } }).State.Status));
      })();
      const answer = await call(socket, url, "POST");
      polling = false;
      await poller;
      seen.add(String(((await call(socket, "/containers/registry/json")).body as { State: { Status: string } }).State.Status));
      return { status: answer.status, contentType: answer.headers["content-type"], seen: [...seen].sort() };
    };
    const real = await watch(rig.dockerd.socket, "/containers/registry/restart?t=2");
    expect(real).toEqual({ status: 204, contentType: undefined, seen: ["exited", "running"] });
    standIn = await startRegistryRig();
    expect(await watch(standIn.dockerSocket, "/containers/registry/restart?t=2")).toEqual(real);
  });

  it("the stand-in speaks the API versions Debian's dockerd speaks, and refuses the same pins with the same words", async () => {
    standIn = await startRegistryRig();
    const versions = async (socket: string) => {
      const { ApiVersion, MinAPIVersion } = (await call(socket, "/version")).body as { ApiVersion: string; MinAPIVersion: string };
      const [major, minor] = MinAPIVersion.split(".").map(Number);
      const tooOld = `${major}.${(minor ?? 0) - 1}`;
      const refusals = [];
      for (const pin of ["1.99", tooOld, "1.44"]) refusals.push({ pin, ...(await call(socket, `/v${pin}/containers/registry/json`)) });
      return { ApiVersion, MinAPIVersion, refusals: refusals.map(({ pin, status, body, headers }) => ({ pin, status, body, headers: shownHeaders(headers) })) };
    };
    await rig.runRegistry();
    expect(await versions(standIn.dockerSocket)).toEqual(await versions(rig.dockerd.socket));
    const created = async (socket: string) => timeShape(((await call(socket, "/containers/registry/json")).body as { Created: string }).Created);
    expect(await created(standIn.dockerSocket)).toEqual(await created(rig.dockerd.socket));
  });

  it("an unversioned client and one pinned to dockerd's own version work; a newer pin is refused with 400", async () => {
    await rig.runRegistry();
    const version = (await call(rig.dockerd.socket, "/version")).body as { ApiVersion: string; MinAPIVersion: string };
    expect(await client(version.ApiVersion).inspectContainer("registry", signal())).toMatchObject({ kind: "found" });
    expect(await client("1.99").inspectContainer("registry", signal())).toEqual({
      kind: "unreachable",
      reason: `dockerd answered HTTP 400: client version 1.99 is too new. Maximum supported API version is ${version.ApiVersion}`,
    });
    standIn = await startRegistryRig();
    const standVersion = (await call(standIn.dockerSocket, "/version")).body as { ApiVersion: string };
    expect(await createDockerClient({ socketPath: standIn.dockerSocket, apiVersion: "1.99" }).inspectContainer("registry", signal())).toEqual({
      kind: "unreachable",
      reason: `dockerd answered HTTP 400: client version 1.99 is too new. Maximum supported API version is ${standVersion.ApiVersion}`,
    });
  });

  it("/_ping and /version have dockerd's shape and headers in the stand-in too", async () => {
    standIn = await startRegistryRig();
    for (const url of ["/_ping", "/version"]) {
      const real = await call(rig.dockerd.socket, url);
      const stand = await call(standIn.dockerSocket, url);
      const headers = (h: Record<string, unknown>) => ["api-version", "ostype", "server", "docker-experimental", "content-type"].filter((name) => name in h);
      expect({ url, status: stand.status, headers: headers(stand.headers) }).toEqual({ url, status: real.status, headers: headers(real.headers) });
      if (typeof real.body === "object") {
        expect(Object.keys(stand.body as object)).toEqual(Object.keys(real.body as object));
        // Each component (Engine, containerd, runc, docker-init) with the keys of its details.
        const components = (body: unknown) =>
          ((body as { Components?: Array<{ Name: string; Details: object }> }).Components ?? []).map((c) => ({ name: c.Name, details: Object.keys(c.Details).sort() }));
        expect(components(stand.body)).toEqual(components(real.body));
      }
      else expect(stand.body).toBe(real.body);
    }
  });

  // Last: it stops this file's dockerd.
  it("once dockerd has stopped, its socket is gone and the client says dockerd is not there, without throwing", async () => {
    await rig.runRegistry();
    dockerdStopped = true;
    await rig.stop();
    expect(await client().inspectContainer("registry", signal())).toEqual({
      kind: "unreachable",
      reason: `Docker socket ${rig.dockerd.socket} is missing (is dockerd installed and running?)`,
    });
    expect(await client().restartContainer("registry", signal())).toEqual({
      ok: false, missing: false, reason: `Docker socket ${rig.dockerd.socket} is missing (is dockerd installed and running?)`,
    });
  });
});
