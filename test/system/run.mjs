#!/usr/bin/env node
// `npm run test:system`: boots a real systemd (Debian bookworm) in systemd-nspawn, installs the
// watchdog's .deb in it with apt (the previous release, then this tree's over it), and runs the
// scenarios in test/system/scenarios against what systemd and journald say. Needs root; without
// it, it says so and fails (never a silent skip). SONGNODES_SYSTEM_ONLY=boot,bad-config runs only
// the named scenarios (and the package setup scenarios, which always run).
import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enterTestCgroup, processesIn, processesNaming } from "./lib/cgroups.mjs";
import { run } from "./lib/exec.mjs";
import { addTestUsers, installInto, PROJECT_IN_CONTAINER, PROJECT_ROOT, STANDIN_NODE } from "./lib/install.mjs";
import { createMachine } from "./lib/machine.mjs";
import { mountsUnder } from "./lib/mounts.mjs";
import { ensurePackages } from "./lib/package.mjs";
import { ensureRootfs } from "./lib/rootfs.mjs";
import { SCENARIOS } from "./scenarios/index.mjs";

const started = Date.now();
const timings = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
async function timed(label, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings.push({ label, ms: Date.now() - t0 });
  }
}

if (process.getuid?.() !== 0) {
  console.error("test:system needs root (systemd-nspawn, overlay mounts, cgroups): run it as root, e.g. sudo npm run test:system");
  process.exit(77);
}
for (const [tool, pkg] of [["systemd-nspawn", "systemd-container"], ["debootstrap", "debootstrap"], ["nsenter", "util-linux"], ["dpkg-deb", "dpkg"]]) {
  if ((await run(["which", tool], { timeoutMs: 5_000 })).code !== 0) {
    console.error(`test:system needs ${tool}: apt-get install ${pkg}`);
    process.exit(69);
  }
}
if (!existsSync(join(PROJECT_ROOT, "dist", "src", "cli.js"))) {
  console.error("dist/src/cli.js is missing: run npm run build first (npm run test:system does)");
  process.exit(66);
}

const only = (process.env.SONGNODES_SYSTEM_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const selected = only.length > 0 ? SCENARIOS.filter((s) => s.setup || only.includes(s.name)) : SCENARIOS;
const cgroupName = `songnodes-system-test-${process.pid}`;
const leaveCgroup = enterTestCgroup(cgroupName);
const workDir = mkdtempSync(join(tmpdir(), "songnodes-system-test-"));
const machine = createMachine({
  rootfs: "",
  workDir,
  binds: [
    // The stand-ins' Node, off PATH: the watchdog runs on the Node its package brings.
    { from: process.execPath, to: STANDIN_NODE },
    { from: PROJECT_ROOT, to: PROJECT_IN_CONTAINER },
    // kubectl (a static binary) lets scenarios look at the simulated cluster as an operator would.
    ...(existsSync("/usr/bin/kubectl") ? [{ from: realpathSync("/usr/bin/kubectl"), to: "/usr/local/bin/kubectl" }] : []),
  ],
});

let cleaning = null;
async function cleanUp() {
  cleaning ??= (async () => {
    await machine.destroy().catch((error) => console.error(`cleanup: ${error.message}`));
    await leaveCgroup().catch((error) => console.error(`cleanup: ${error.message}`));
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the container and cleaning up`);
    cleanUp().finally(() => process.exit(130));
  });
}

const results = [];
try {
  const rootfs = await timed("rootfs (cached or built)", () => ensureRootfs((line) => console.log(line)));
  const packages = await timed("packages (cached or built)", () => ensurePackages((line) => console.log(line)));
  console.log(`packages: ${packages.previous.file} (previous release), ${packages.current.file} (this tree)`);
  machine.setRootfs(rootfs.path);
  await machine.prepare();
  installInto(machine);
  await addTestUsers(machine);
  const bootInfo = await timed("first boot", () => machine.boot());
  console.log(`container booted (PID 1 is ${bootInfo.pid1} on the host, system ${bootInfo.state})`);
  const context = { machine, packages, log: (line) => console.log(`    ${line}`) };
  let setupFailed = null;
  for (const scenario of selected) {
    if (setupFailed !== null && scenario.setup !== true) {
      results.push({ name: scenario.name, ok: false, ms: 0, error: new Error(`not run: ${setupFailed} failed`) });
      console.log(`✘ ${scenario.name}: not run (${setupFailed} failed)`);
      continue;
    }
    const t0 = Date.now();
    console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
    let error = null;
    try {
      const missing = (scenario.needs ?? []).filter((need) => !need.present());
      if (missing.length > 0) throw new Error(`NOT READY: needs ${missing.map((need) => need.what).join(", ")}`);
      await withTimeout(scenario.run(context), scenario.timeoutMs ?? 60_000, scenario.name);
    } catch (caught) {
      error = caught;
    }
    const ms = Date.now() - t0;
    timings.push({ label: `scenario ${scenario.name}`, ms });
    results.push({ name: scenario.name, ok: error === null, ms, error });
    console.log(error === null ? `✔ ${scenario.name} (${seconds(ms)})` : `✘ ${scenario.name} (${seconds(ms)})\n${indent(error.stack ?? String(error))}`);
    if (error !== null) await dumpForDiagnosis(machine, scenario).catch(() => {});
    if (error !== null && scenario.setup === true) setupFailed ??= scenario.name;
  }
} catch (error) {
  results.push({ name: "harness", ok: false, ms: 0, error });
  console.error(`✘ harness: ${error.stack ?? error}`);
} finally {
  await timed("cleanup", cleanUp);
}

// Nothing may be left behind: no mounts, no cgroup, no process of ours.
const leftovers = [
  ...mountsUnder(workDir).map((m) => `mount ${m}`),
  ...(existsSync(workDir) ? [`directory ${workDir}`] : []),
  ...leaveCgroup.dirs.flatMap(processesIn).map((p) => `process ${p}`),
  ...processesNaming(workDir).map((p) => `process ${p} (outside the test cgroup)`),
  ...leaveCgroup.dirs.filter(existsSync).map((c) => `cgroup ${c}`),
];
console.log(leftovers.length === 0 ? `\nleft behind: nothing (no mount under ${workDir}, no process, cgroups ${leaveCgroup.dirs.join(", ")} removed)` : "");
if (leftovers.length > 0) results.push({ name: "no leftovers", ok: false, ms: 0, error: new Error(leftovers.join(", ")) });

console.log("\ntimings:");
for (const { label, ms } of timings) console.log(`  ${label.padEnd(36)} ${seconds(ms).padStart(8)}`);
console.log(`  ${"total".padEnd(36)} ${seconds(Date.now() - started).padStart(8)}`);
const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed${failed.length ? `: ${failed.map((r) => r.name).join(", ")}` : ""}`);
process.exit(failed.length === 0 ? 0 : 1);

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`scenario ${name} timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

function indent(text) {
  return text.split("\n").map((line) => `    ${line}`).join("\n");
}

async function dumpForDiagnosis(machine, scenario) {
  if (machine.pid1 === null) return;
  const units = ["songnodes-watchdog.service", "k3s.service", ...(scenario.diagnose ?? [])];
  const log = await machine.exec(["journalctl", "--no-pager", "-n", "40", "-o", "short-precise", ...units.flatMap((u) => ["-u", u])], { timeoutMs: 10_000 });
  console.log(indent(`journal (last 40 lines):\n${log.stdout}`));
}
