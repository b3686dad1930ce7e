// Preparing the container for the watchdog: the test config and a drop-in for test settings, and
// beside them the stand-ins for k3s, its killall script and Docker (test/system/files). The
// watchdog itself comes from the .deb, installed with apt by the package-install scenario
// (lib/package.mjs): the container has no Node of its own, and the stand-ins' Node sits off PATH.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run, runOk } from "./exec.mjs";

/** Where the project is bind-mounted (read-only) inside the container. */
export const PROJECT_IN_CONTAINER = "/opt/songnodes-watchdog";
/** Faults for the stand-ins live in a file, so they survive restarts of k3s.service. */
export const FAULTS_FILE = "/var/lib/system-test/faults.json";
export const CONFIG_FILE = "/etc/songnodes-watchdog/config.yaml";
export const STATUS_GROUP = "songnodes-status";
/** The host's node for the stand-ins, bind-mounted off PATH: the watchdog must use the package's own. */
export const STANDIN_NODE = "/opt/system-test/bin/node";

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
  copy(join(FILES, "songnodes-watchdog-test.conf"), "/etc/systemd/system/songnodes-watchdog.service.d/system-test.conf");
  copy(join(FILES, "k3s.service"), "/etc/systemd/system/k3s.service");
  copy(join(FILES, "docker.service"), "/etc/systemd/system/docker.service");
  copy(join(FILES, "k3s-killall.sh"), "/usr/local/bin/k3s-killall.sh", 0o755);
  // debootstrap leaves no /etc/hosts; without it `localhost` (the registry endpoint) does not resolve.
  put("/etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
  put(CONFIG_FILE, config);
  put(FAULTS_FILE, "{}\n");
  // dpkg syncs every file it unpacks; the test node's disk is a throwaway overlay.
  put("/etc/dpkg/dpkg.cfg.d/system-test-unsafe-io", "force-unsafe-io\n");
  // `systemctl enable`, done by hand so the first boot starts them as a real boot would.
  for (const unit of ["k3s.service", "docker.service"]) {
    const link = machine.hostPath(`/etc/systemd/system/multi-user.target.wants/${unit}`);
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(`/etc/systemd/system/${unit}`, link);
  }
}

/** The shipped unit file, for the "unchanged" assertion. */
export function shippedUnit() {
  return readFileSync(join(PROJECT_ROOT, "systemd", "songnodes-watchdog.service"), "utf8");
}

/** Budgets of the test node (k3s-failing asserts killall ran exactly this often). */
export const TEST_BUDGETS = { restartK3s: 3, killallK3s: 1 };

/**
 * Settings for the test node: the status group, and hold-offs and verification windows of seconds
 * instead of minutes so a scenario takes seconds. The k3s hold-off (2 s) is shorter than k3s's
 * RestartSec=5s on purpose: k3s-killed shows the watchdog's restart arriving first.
 */
export function defaultConfig(extra = "") {
  return `# Written by the system tests (test/system/lib/install.mjs).
status:
  group: ${STATUS_GROUP}
timing:
  tick: 1s
  k3sHoldOff: 2s
  k3sStartBudget: 10s
  containerdHoldOff: 3s
  apiBudget: 10s
  nodeReadyBudget: 10s
  imagePullHoldOff: 3s
  healthyHold: 2s
  gaveUpCooldown: 1h
  verify:
    restartK3s: 8s
    killallK3s: 8s
    restartRegistry: 5s
budgets:
  restartK3s: { max: ${TEST_BUDGETS.restartK3s}, window: 1h }
  killallK3s: { max: ${TEST_BUDGETS.killallK3s}, window: 1h }
${HOLD_OFF_SETTING}${extra}`;
}

// The container shares the host's uptime, which may exceed the budget window: a fresh journal there
// would hold the budgets (docs/security.md), and every scenario starts on a fresh journal.
const HOLD_OFF_SETTING = `journal:
  holdBudgetsWhenForgotten: false
`;

/**
 * The test node's settings as the previous release knows them (package-install installs that
 * release first): without the keys added since, which it would refuse with exit 78.
 */
export function previousReleaseConfig() {
  return defaultConfig().replace(HOLD_OFF_SETTING, "");
}

/**
 * A user outside the status group (bob) and, once the package has created the group, alice in it;
 * made with the host's tools.
 */
export async function addTestUsers(machine, { withStatusGroup = false } = {}) {
  const root = machine.hostPath("/");
  for (const [user, groups] of withStatusGroup ? [["alice", [STATUS_GROUP]]] : [["bob", []]]) {
    const exists = await run(["chroot", root, "id", user]);
    if (exists.code !== 0) await runOk(["useradd", "--root", root, "--no-create-home", "--shell", "/usr/sbin/nologin", ...(groups.length ? ["--groups", groups.join(",")] : []), user]);
  }
}

/** Replace the faults the stand-ins read at their next (re)start. */
export function writeFaults(machine, faults) {
  writeFileSync(machine.hostPath(FAULTS_FILE), `${JSON.stringify(faults, null, 2)}\n`);
}
