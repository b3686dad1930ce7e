// Installing the watchdog into the container the way an operator would: the binary on PATH, the
// shipped unit file byte for byte in /etc/systemd/system, and only a drop-in for test settings;
// beside it the stand-ins for k3s, its killall script and Docker (test/system/files).
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the project is bind-mounted (read-only) inside the container. */
export const PROJECT_IN_CONTAINER = "/opt/songnodes-watchdog";
/** Faults for the stand-ins live in a file, so they survive restarts of k3s.service. */
export const FAULTS_FILE = "/var/lib/system-test/faults.json";
export const CONFIG_FILE = "/etc/songnodes-watchdog/config.yaml";
export const STATUS_GROUP = "songnodes-status";

const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = join(here, "..", "..", "..");
const FILES = join(here, "..", "files");

/** Copy the files into the stopped or running container's root (seen from the host). */
export function installInto(machine, { config = defaultConfig() } = {}) {
  const put = (path, text, mode = 0o644) => {
    const target = machine.hostPath(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    chmodSync(target, mode);
  };
  const copy = (from, path, mode = 0o644) => {
    const target = machine.hostPath(path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(from, target);
    chmodSync(target, mode);
  };
  // What `npm install -g` would put on PATH; exec keeps the daemon the unit's main process.
  put("/usr/local/bin/songnodes-watchdog", `#!/bin/sh\nexec /usr/bin/node ${PROJECT_IN_CONTAINER}/dist/src/cli.js "$@"\n`, 0o755);
  copy(join(PROJECT_ROOT, "systemd", "songnodes-watchdog.service"), "/etc/systemd/system/songnodes-watchdog.service");
  copy(join(FILES, "songnodes-watchdog-test.conf"), "/etc/systemd/system/songnodes-watchdog.service.d/system-test.conf");
  copy(join(FILES, "k3s.service"), "/etc/systemd/system/k3s.service");
  copy(join(FILES, "docker.service"), "/etc/systemd/system/docker.service");
  copy(join(FILES, "k3s-killall.sh"), "/usr/local/bin/k3s-killall.sh", 0o755);
  put(CONFIG_FILE, config);
  put(FAULTS_FILE, "{}\n");
  // `systemctl enable`, done by hand so the first boot starts them as a real boot would.
  for (const unit of ["k3s.service", "docker.service", "songnodes-watchdog.service"]) {
    const link = machine.hostPath(`/etc/systemd/system/multi-user.target.wants/${unit}`);
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(`/etc/systemd/system/${unit}`, link);
  }
}

/** The shipped unit file as the container holds it, for the "unchanged" assertion. */
export function shippedUnit() {
  return readFileSync(join(PROJECT_ROOT, "systemd", "songnodes-watchdog.service"), "utf8");
}

/** Settings for the test node: the status group, and a quick tick so scenarios do not wait. */
export function defaultConfig(extra = "") {
  return [
    "# Written by the system tests (test/system/lib/install.mjs).",
    "status:",
    `  group: ${STATUS_GROUP}`,
    extra,
  ].join("\n");
}

/** Replace the faults the stand-ins read at their next (re)start. */
export function writeFaults(machine, faults) {
  writeFileSync(machine.hostPath(FAULTS_FILE), `${JSON.stringify(faults, null, 2)}\n`);
}
