// A real dockerd with the real registry image imported: the rig the real-peer tests of the registry
// probe, restart-registry and the Docker client share. The registry container is started per test
// (runRegistry), so each test sets up the case it describes.
import { setTimeout as sleep } from "node:timers/promises";
import { httpRequest } from "../../../src/registry/http-request.js";
import { startRealDockerd, type RealDockerd } from "./real-dockerd.js";
import { freePort, importRegistryImage } from "./registry-image.js";

/**
 * The registry's own health check on an unusable storage root: once the first check has failed,
 * it answers every request with 503 Service Unavailable.
 */
export const FAILING_STORAGE: Record<string, string> = {
  REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: "/etc/docker/registry/config.yml/storage",
  REGISTRY_HEALTH_STORAGEDRIVER_ENABLED: "true",
  REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL: "100ms",
  REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD: "1",
};

export interface RunRegistryOptions {
  name?: string;
  /** `--restart always` and the like. */
  restart?: string;
  /** REGISTRY_* variables override the image's config (REGISTRY_HTTP_ADDR=…). */
  env?: Record<string, string>;
}

export interface RealRegistryRig {
  dockerd: RealDockerd;
  /** The port in the image's config. */
  port: number;
  /** http://127.0.0.1:port */
  endpoint: string;
  image: string;
  /** `docker run -d --network host --name registry …`; resolves with the container id. */
  runRegistry(options?: RunRegistryOptions): Promise<string>;
  /** Wait until GET /v2/ on `endpoint` answers 200 (the registry listens). */
  waitForApi(timeoutMs?: number): Promise<void>;
  /** `docker rm -f` every container: the next test starts from nothing. */
  removeContainers(): Promise<void>;
  stop(): Promise<void>;
}

/** Start dockerd, import the registry image with a free port in its config. */
export async function startRealRegistryRig(label: string): Promise<RealRegistryRig> {
  const dockerd = await startRealDockerd(label);
  try {
    const port = await freePort();
    const image = await importRegistryImage(dockerd, port);
    const endpoint = `http://127.0.0.1:${port}`;
    return {
      dockerd, port, endpoint, image,
      async runRegistry(options = {}) {
        const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
        const restart = options.restart ? ["--restart", options.restart] : [];
        return dockerd.dockerOk(["run", "-d", "--network", "host", "--name", options.name ?? "registry", ...restart, ...env, image]);
      },
      async waitForApi(timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const answer = await httpRequest({ url: `${endpoint}/v2/`, timeoutMs: 1_000 });
          if (answer.kind === "response" && answer.status === 200) return;
          if (Date.now() > deadline) throw new Error(`the real registry did not answer ${endpoint}/v2/ within ${timeoutMs} ms:\n${(await dockerd.docker(["logs", "registry"])).stderr.slice(-1_500)}`);
          await sleep(50);
        }
      },
      async removeContainers() {
        const ids = (await dockerd.dockerOk(["ps", "-aq"])).split("\n").filter(Boolean);
        if (ids.length > 0) await dockerd.dockerOk(["rm", "-f", ...ids]);
      },
      stop: () => dockerd.stop(),
    };
  } catch (error) {
    await dockerd.stop();
    throw error;
  }
}
