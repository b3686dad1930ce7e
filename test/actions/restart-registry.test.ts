import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRestartRegistry } from "../../src/actions/restart-registry.js";
import { createRegistryProbe } from "../../src/probes/registry.js";
import { createDockerClient } from "../../src/registry/docker-client.js";
import { startRegistryRig, type RegistryRig } from "../sim/docker/registry-rig.js";

let rig: RegistryRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const command = { kind: "restart-registry" as const, why: "pods in ImagePullBackOff on localhost:5000 images" };

function restartAction(r: RegistryRig, dockerSocket = r.dockerSocket, verifyTimeoutMs = 2_000) {
  return createRestartRegistry({
    docker: createDockerClient({ socketPath: dockerSocket }),
    container: "registry",
    endpoint: r.http.url,
    pollIntervalMs: 50,
    verifyTimeoutMs,
  });
}

describe("restart-registry", () => {
  it("a registry that is down is restarted and its catalog verified", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false });
    const probe = createRegistryProbe({ dockerSocket: rig.dockerSocket, container: "registry", endpoint: rig.http.url });
    expect((await probe.read(AbortSignal.timeout(5_000))).status).toBe("bad");

    const report = await restartAction(rig).run(command, AbortSignal.timeout(10_000));
    expect(report.ok).toBe(true);
    expect(report.detail).toMatch(/restarted container registry; GET \/v2\/_catalog answered 200 with 1 repository/);
    expect(report.touched).toEqual(["registry"]);
    expect(rig.docker.restartRequests()).toBe(1);
    expect((await probe.read(AbortSignal.timeout(5_000))).status).toBe("ok");
  });

  it("a restart that does not bring the API back is reported as not ok", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false, afterRestart: { container: "running", apiUp: false } });
    const report = await restartAction(rig, rig.dockerSocket, 500).run(command, AbortSignal.timeout(10_000));
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/restarted container registry, but the catalog did not answer 200 within .* s; last: .*connection refused/);
    expect(rig.registry.restartCount()).toBe(1);
  });

  it("the caller's deadline ends the verification too", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false, afterRestart: { container: "exited", apiUp: false } });
    const report = await restartAction(rig, rig.dockerSocket, 60_000).run(command, AbortSignal.timeout(700));
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/did not answer 200/);
  });

  it("a missing registry container cannot be restarted, and says so", async () => {
    rig = await startRegistryRig({ container: "missing", apiUp: false });
    const report = await restartAction(rig).run(command, AbortSignal.timeout(5_000));
    expect(report).toMatchObject({ ok: false, detail: "docker restart registry failed: Docker has no container named registry" });
  });

  it("without a Docker socket the restart fails honestly", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false });
    const report = await restartAction(rig, join(rig.dir, "no-docker.sock")).run(command, AbortSignal.timeout(5_000));
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/docker restart registry failed: Docker socket .* is missing/);
    expect(rig.registry.restartCount()).toBe(0);
  });
});
