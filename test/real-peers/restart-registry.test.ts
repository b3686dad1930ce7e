// The restart-registry remedy (`docker restart registry`, then `/v2/_catalog` until it answers)
// against Debian's real dockerd and the real registry in a container.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRestartRegistry } from "../../src/actions/restart-registry.js";
import { createRegistryProbe } from "../../src/probes/registry.js";
import { createDockerClient } from "../../src/registry/docker-client.js";
import { describeWithPeers } from "./lib/peers-present.js";
import { startRealRegistryRig, type RealRegistryRig } from "./lib/real-registry-rig.js";

let rig: RealRegistryRig;

describeWithPeers("restart-registry against a real dockerd and the real registry", ["dockerd", "docker", "registry"], () => {
  beforeAll(async () => {
    rig = await startRealRegistryRig("restart-registry");
  }, 60_000);
  afterEach(async () => rig.removeContainers());
  afterAll(async () => rig?.stop(), 60_000);

  const restart = (verifyTimeoutMs = 10_000) =>
    createRestartRegistry({
      docker: createDockerClient({ socketPath: rig.dockerd.socket }),
      container: "registry",
      endpoint: rig.endpoint,
      pollIntervalMs: 100,
      verifyTimeoutMs,
      stopTimeoutS: 2,
    }).run({ kind: "restart-registry", why: "test" }, AbortSignal.timeout(20_000));
  const probe = () =>
    createRegistryProbe({ dockerSocket: rig.dockerd.socket, container: "registry", endpoint: rig.endpoint, timeoutMs: 500 }).read(AbortSignal.timeout(5_000));

  it("a registry stopped with `docker stop` is restarted and /v2/_catalog answers again", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    await rig.dockerd.dockerOk(["stop", "registry"]);
    expect((await probe()).status).toBe("bad");
    const outcome = await restart();
    expect(outcome.ok).toBe(true);
    expect(outcome.detail).toMatch(/^restarted container registry; GET \/v2\/_catalog answered 200 with 0 repositories after \d+\.\d s$/);
    expect(outcome.touched).toEqual(["registry"]);
    expect(await probe()).toMatchObject({ status: "ok", detail: { container: "running", api: "up" } });
    expect(await rig.dockerd.dockerOk(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "registry"])).toBe("running 0");
  });

  it("a paused registry is restarted (dockerd restarts a paused container) and answers again", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    await rig.dockerd.dockerOk(["pause", "registry"]);
    const outcome = await restart();
    expect(outcome.ok).toBe(true);
    expect(await probe()).toMatchObject({ status: "ok", detail: { container: "running", api: "up" } });
  });

  it("a removed registry container cannot be restarted: the remedy fails and says why", async () => {
    const outcome = await restart();
    expect(outcome).toEqual({ ok: false, detail: "docker restart registry failed: Docker has no container named registry", touched: ["registry"] });
  });

  it("a registry restarting in a loop on a bad config is restarted, but the remedy fails: the catalog never answers", async () => {
    await rig.runRegistry({ restart: "always", env: { REGISTRY_HTTP_ADDR: "127.0.0.1:not-a-port" } });
    const outcome = await restart(1_500);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(
      new RegExp(`^restarted container registry, but the catalog did not answer 200 within 1\\.\\d s; last: GET ${rig.endpoint}/v2/_catalog: connection refused$`),
    );
  });
});
