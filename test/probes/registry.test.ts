import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Health, RegistryDetail } from "../../src/core/types.js";
import { createRegistryProbe, interpretRegistry } from "../../src/probes/registry.js";
import { startRegistryRig, type RegistryRig } from "../sim/docker/registry-rig.js";

let rig: RegistryRig | null = null;
let odd: http.Server | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
  if (odd) {
    odd.closeAllConnections();
    await new Promise((resolve) => odd?.close(resolve));
  }
  odd = null;
});

const read = (options: { dockerSocket: string; endpoint: string }) =>
  createRegistryProbe({ ...options, container: "registry", timeoutMs: 500 }).read(AbortSignal.timeout(5_000));

/** An HTTP server on 127.0.0.1 that answers every request with `status`, or never when null. */
async function startOddRegistry(status: number | null): Promise<string> {
  odd = http.createServer((_request, response) => {
    if (status !== null) response.writeHead(status).end("{}");
  });
  await new Promise<void>((resolve) => odd?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
}

describe("interpretRegistry: every combination of container state and GET /v2/", () => {
  const containers: RegistryDetail["container"][] = ["running", "restarting", "exited", "created", "paused", "dead", "missing", "unknown"];
  // The API decides wherever it answers; when it cannot be judged, a container known not to run is bad.
  const expected = (container: RegistryDetail["container"], api: RegistryDetail["api"]): Health =>
    api === "up" ? "ok" : api === "down" ? "bad" : container === "running" || container === "unknown" ? "unknown" : "bad";
  for (const container of containers) {
    for (const api of ["up", "down", "unknown"] as const) {
      it(`container ${container}, API ${api} → ${expected(container, api)}`, () => {
        const reading = interpretRegistry(container, api);
        expect(reading.status).toBe(expected(container, api));
        expect(reading.detail).toEqual({ container, api });
      });
    }
  }

  it("an API that answers while Docker cannot be asked is ok, with a note", () => {
    expect(interpretRegistry("unknown", "up").reason).toMatch(/Docker could not be asked/);
  });

  it("an API that answers while the container is exited is ok, and says something else serves it", () => {
    expect(interpretRegistry("exited", "up").reason).toMatch(/something else serves the endpoint/);
  });
});

describe("registry probe against the Docker and registry stand-ins", () => {
  it("a running registry that answers /v2/ is ok", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: rig.http.url });
    expect(reading.status).toBe("ok");
    expect(reading.detail).toEqual({ container: "running", api: "up" });
  });

  it("an exited registry container whose port refuses is bad", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false });
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: rig.http.url });
    expect(reading.status).toBe("bad");
    expect(reading.detail).toEqual({ container: "exited", api: "down" });
    expect(reading.reason).toMatch(/connection refused/);
    expect(reading.reason).toMatch(/container registry is exited \(exit code 2\)/);
  });

  it("a running container whose API refuses connections is bad", async () => {
    rig = await startRegistryRig({ container: "running", apiUp: false });
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: rig.http.url });
    expect(reading).toMatchObject({ status: "bad", detail: { container: "running", api: "down" } });
  });

  it("no Docker socket but /v2/ answers 200 is ok, with a note", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: join(rig.dir, "no-docker.sock"), endpoint: rig.http.url });
    expect(reading).toMatchObject({ status: "ok", detail: { container: "unknown", api: "up" } });
    expect(reading.reason).toMatch(/Docker socket .* is missing/);
  });

  it("no Docker socket and a refused API is bad: the registry is down either way", async () => {
    rig = await startRegistryRig({ apiUp: false });
    const reading = await read({ dockerSocket: join(rig.dir, "no-docker.sock"), endpoint: rig.http.url });
    expect(reading).toMatchObject({ status: "bad", detail: { container: "unknown", api: "down" } });
  });

  it("a registry with auth turned on (401) is up", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: await startOddRegistry(401) });
    expect(reading).toMatchObject({ status: "ok", detail: { api: "up" } });
  });

  it("a registry that answers 503 is down", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: await startOddRegistry(503) });
    expect(reading).toMatchObject({ status: "bad", detail: { api: "down" } });
  });

  it("a running container whose API never answers is unknown, not bad", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: await startOddRegistry(null) });
    expect(reading).toMatchObject({ status: "unknown", detail: { container: "running", api: "unknown" } });
    expect(reading.reason).toMatch(/no answer within 500 ms/);
  });

  it("no Docker socket and an API that never answers is unknown", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: join(rig.dir, "no-docker.sock"), endpoint: await startOddRegistry(null) });
    expect(reading).toMatchObject({ status: "unknown", detail: { container: "unknown", api: "unknown" } });
  });

  it("a port that answers 404 to /v2/ is not taken for a registry", async () => {
    rig = await startRegistryRig();
    const reading = await read({ dockerSocket: rig.dockerSocket, endpoint: await startOddRegistry(404) });
    expect(reading).toMatchObject({ status: "unknown", detail: { api: "unknown" } });
    expect(reading.reason).toMatch(/answered 404/);
  });
});
