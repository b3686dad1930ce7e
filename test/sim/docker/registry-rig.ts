// A temp dir with the Docker Engine API stand-in on a unix socket and the registry stand-in on
// 127.0.0.1, both over one in-memory registry: the rig the registry probe and action tests share.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDockerEngineStandIn, type DockerEngineStandIn } from "../../../src/sim/docker/engine-api.js";
import { startRegistryStandIn, type RegistryStandIn } from "../../../src/sim/registry/http-registry.js";
import { createMemoryRegistry, type MemoryRegistry, type MemoryRegistryOptions } from "../../../src/sim/registry/memory-registry.js";

export interface RegistryRig {
  dir: string;
  dockerSocket: string;
  registry: MemoryRegistry;
  docker: DockerEngineStandIn;
  http: RegistryStandIn;
  close(): Promise<void>;
}

/** Start both stand-ins; `close` stops them and removes the temp dir. */
export async function startRegistryRig(options: MemoryRegistryOptions = {}): Promise<RegistryRig> {
  const dir = mkdtempSync(join(tmpdir(), "registry-rig-"));
  const dockerSocket = join(dir, "docker.sock");
  const registry = createMemoryRegistry({ repositories: { "songnodes/rest-api": ["latest", "1.4.2"] }, ...options });
  const docker = await startDockerEngineStandIn({ socketPath: dockerSocket, registry });
  const http = await startRegistryStandIn({ host: "127.0.0.1", port: 0, registry });
  return {
    dir, dockerSocket, registry, docker, http,
    async close() {
      await http.close();
      await docker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
