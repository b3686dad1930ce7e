// The real registry as a container image, built without pulling anything: `docker import` of a tar
// holding Debian's /usr/bin/docker-registry, the libraries `ldd` names for it and a config that
// listens on 127.0.0.1 only. Run with `--network host`, it serves the host's loopback.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import type { RealDockerd } from "./real-dockerd.js";
import { REAL_PEER_BINARIES } from "./peers-present.js";

/** The image's name in the test's own dockerd. */
export const REGISTRY_IMAGE = "songnodes-test/registry:real";

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The absolute library paths `ldd` lists for `binary` (the loader included). */
export function librariesOf(binary: string): string[] {
  const text = execFileSync("ldd", [binary], { encoding: "utf8" });
  return [...text.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((match) => match[1] as string);
}

/** The registry's config: filesystem storage, and the HTTP API on 127.0.0.1:port only. */
export function registryConfig(port: number): string {
  return [
    "version: 0.1",
    "log:",
    "  level: info",
    "storage:",
    "  filesystem:",
    "    rootdirectory: /var/lib/registry",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    "",
  ].join("\n");
}

/** Import the registry image into `dockerd`; its config listens on `port`. */
export async function importRegistryImage(dockerd: RealDockerd, port: number): Promise<string> {
  const root = join(dockerd.dir, "registry-rootfs");
  const binary = REAL_PEER_BINARIES.registry.path;
  for (const file of [binary, ...librariesOf(binary)]) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(file, join(root, file));
  }
  mkdirSync(join(root, "etc/docker/registry"), { recursive: true });
  mkdirSync(join(root, "var/lib/registry"), { recursive: true });
  writeFileSync(join(root, "etc/docker/registry/config.yml"), registryConfig(port));
  const tar = join(dockerd.dir, "registry.tar");
  execFileSync("tar", ["-C", root, "-cf", tar, "."]);
  await dockerd.dockerOk([
    "import",
    "--change", `ENTRYPOINT ["${binary}"]`,
    "--change", 'CMD ["serve", "/etc/docker/registry/config.yml"]',
    tar, REGISTRY_IMAGE,
  ]);
  return REGISTRY_IMAGE;
}

/** A one-file image (`docker import` of a tar with hello.txt) to push into the registry. */
export async function importTinyImage(dockerd: RealDockerd, name: string): Promise<void> {
  const root = join(dockerd.dir, "tiny-rootfs");
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "hello.txt"), "songnodes real-peer test\n");
  const tar = join(dockerd.dir, "tiny.tar");
  execFileSync("tar", ["-C", root, "-cf", tar, "."]);
  await dockerd.dockerOk(["import", tar, name]);
}
