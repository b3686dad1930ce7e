// The registry probe against Debian's real dockerd and the real registry in a container, in every
// state the runbook's `docker ps | grep registry` and `curl localhost:5000/v2/_catalog` can find.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Reading, RegistryDetail } from "../../src/core/types.js";
import { createRegistryProbe } from "../../src/probes/registry.js";
import { describeWithPeers } from "./lib/peers-present.js";
import { FAILING_STORAGE, startRealRegistryRig, type RealRegistryRig } from "./lib/real-registry-rig.js";
import { freePort } from "./lib/registry-image.js";

let rig: RealRegistryRig;

describeWithPeers("registry probe against a real dockerd and the real registry", ["dockerd", "docker", "registry"], () => {
  beforeAll(async () => {
    rig = await startRealRegistryRig("registry-probe");
  }, 60_000);
  afterEach(async () => rig.removeContainers());
  afterAll(async () => rig?.stop(), 60_000);

  const read = (endpoint = rig.endpoint): Promise<Reading<RegistryDetail>> =>
    createRegistryProbe({ dockerSocket: rig.dockerd.socket, container: "registry", endpoint, timeoutMs: 500 }).read(AbortSignal.timeout(5_000));

  it("a running registry that answers /v2/ is ok", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    const reading = await read();
    expect(reading).toEqual({
      status: "ok",
      reason: `the local registry answers: GET ${rig.endpoint}/v2/ answered 200; container registry is running`,
      detail: { container: "running", api: "up" },
    });
  });

  it("after `docker stop registry` it is bad: connection refused, the container exited with code 2", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    await rig.dockerd.dockerOk(["stop", "registry"]);
    const reading = await read();
    expect(reading).toEqual({
      status: "bad",
      reason: `the local registry is down: GET ${rig.endpoint}/v2/: connection refused; container registry is exited (exit code 2)`,
      detail: { container: "exited", api: "down" },
    });
  });

  it("after `docker rm -f registry` it is bad: Docker has no container named registry", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    await rig.dockerd.dockerOk(["rm", "-f", "registry"]);
    const reading = await read();
    expect(reading).toEqual({
      status: "bad",
      reason: `the local registry is down: GET ${rig.endpoint}/v2/: connection refused; Docker has no container named registry`,
      detail: { container: "missing", api: "down" },
    });
  });

  it("a paused registry container is bad: its port accepts and never answers", async () => {
    await rig.runRegistry();
    await rig.waitForApi();
    await rig.dockerd.dockerOk(["pause", "registry"]);
    const reading = await read();
    expect(reading).toEqual({
      status: "bad",
      reason: `the local registry container is not running: GET ${rig.endpoint}/v2/: no answer within 500 ms (TIMEOUT); container registry is paused`,
      detail: { container: "paused", api: "unknown" },
    });
  });

  it("a registry restarting in a loop on a bad config is bad on every read, and seen restarting", async () => {
    await rig.runRegistry({ restart: "always", env: { REGISTRY_HTTP_ADDR: "127.0.0.1:not-a-port" } });
    const seen = new Set<string>();
    const deadline = Date.now() + 15_000;
    while (!seen.has("restarting") && Date.now() < deadline) {
      const reading = await read();
      // Between two crashes Docker shows it running for a few milliseconds; the port never answers.
      expect(reading.status).toBe("bad");
      expect(reading.detail?.api).toBe("down");
      expect(["restarting", "running"]).toContain(reading.detail?.container);
      seen.add(reading.detail?.container ?? "none");
      await sleep(100);
    }
    expect(seen.has("restarting")).toBe(true);
    const restarts = Number(await rig.dockerd.dockerOk(["inspect", "--format", "{{.RestartCount}}", "registry"]));
    expect(restarts).toBeGreaterThanOrEqual(1);
  });

  it("a running container whose registry does not listen on the endpoint is bad", async () => {
    const elsewhere = await freePort();
    await rig.runRegistry({ env: { REGISTRY_HTTP_ADDR: `127.0.0.1:${elsewhere}` } });
    await sleep(300);
    expect(await rig.dockerd.dockerOk(["inspect", "--format", "{{.State.Status}}", "registry"])).toBe("running");
    const reading = await read();
    expect(reading).toEqual({
      status: "bad",
      reason: `the local registry is down: GET ${rig.endpoint}/v2/: connection refused; container registry is running`,
      detail: { container: "running", api: "down" },
    });
  });

  it("a registry whose storage health check fails answers 503 and is bad", async () => {
    // The registry's own health check: with storagedriver checks on, an unusable storage root turns
    // every answer into 503 Service Unavailable.
    await rig.runRegistry({ env: FAILING_STORAGE });
    let reading = await read();
    const deadline = Date.now() + 10_000;
    // It refuses while it starts and answers 200 until its first check has failed.
    while (!reading.reason.includes("answered 503") && Date.now() < deadline) {
      await sleep(100);
      reading = await read();
    }
    expect(reading).toEqual({
      status: "bad",
      reason: `the local registry is down: GET ${rig.endpoint}/v2/ answered 503; container registry is running`,
      detail: { container: "running", api: "down" },
    });
  });
});
