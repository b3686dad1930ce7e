// Debian's real Docker Engine and registry inside the test container, for the registry-real-docker
// scenario: the host's docker.io, containerd and docker-registry binaries are copied into the
// container's writable layer (their libraries are already in the rootfs), dockerd runs as a
// transient unit of the container's systemd with no bridge and no iptables, and the registry image
// is a `docker import` of the registry binary: nothing is pulled from anywhere.
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runOk, waitFor } from "./exec.mjs";
import { STANDIN_NODE } from "./install.mjs";

/** Host binary → where it goes in the container (dockerd finds containerd, the shim and runc on PATH). */
export const REAL_DOCKER_BINARIES = {
  "/usr/sbin/dockerd": "/usr/local/bin/dockerd",
  "/usr/bin/docker": "/usr/local/bin/docker",
  "/usr/bin/containerd": "/usr/local/bin/containerd",
  "/usr/bin/containerd-shim-runc-v2": "/usr/local/bin/containerd-shim-runc-v2",
  "/usr/sbin/runc": "/usr/local/bin/runc",
};
const REGISTRY_BINARY = "/usr/bin/docker-registry";
export const REAL_DOCKER_UNIT = "songnodes-real-docker.service";
export const REGISTRY_IMAGE = "songnodes-test/registry:real";
const STAGING = "/var/lib/system-test/real-docker";
const RUNC_WRAPPER = "/usr/local/bin/runc-no-keyring";
const CGROUP_PARENT = "songnodes-system-test-docker";

/** The scenario's `needs` entry: the Debian packages on the host. */
export const REAL_DOCKER = {
  what: "Debian's docker.io, containerd and docker-registry on the host (apt-get install docker.io docker-registry containerd)",
  present: () => [...Object.keys(REAL_DOCKER_BINARIES), REGISTRY_BINARY].every(existsSync),
};

/** Copy the binaries into the container and write the registry image's tar (registry on 127.0.0.1:port). */
export async function stageRealDocker(machine, port) {
  for (const [from, to] of Object.entries(REAL_DOCKER_BINARIES)) {
    mkdirSync(dirname(machine.hostPath(to)), { recursive: true });
    copyFileSync(from, machine.hostPath(to));
    chmodSync(machine.hostPath(to), 0o755);
  }
  // systemd-nspawn's seccomp filter refuses keyctl(2) with EPERM, and runc fails when it cannot
  // create a session keyring (it only tolerates ENOSYS): dockerd runs runc through this wrapper,
  // which asks `runc create` for no new keyring.
  writeFileSync(machine.hostPath(RUNC_WRAPPER), [
    "#!/bin/sh",
    "# runc with --no-new-keyring after `create` (written by test/system/lib/real-docker.mjs).",
    'for arg do shift; set -- "$@" "$arg"; if [ "$arg" = create ]; then set -- "$@" --no-new-keyring; fi; done',
    'exec /usr/local/bin/runc "$@"',
    "",
  ].join("\n"));
  chmodSync(machine.hostPath(RUNC_WRAPPER), 0o755);
  const root = machine.hostPath(`${STAGING}/registry-rootfs`);
  const libraries = (await runOk(["ldd", REGISTRY_BINARY])).stdout.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g);
  for (const file of [REGISTRY_BINARY, ...[...libraries].map((m) => m[1])]) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(file, join(root, file));
  }
  mkdirSync(join(root, "etc/docker/registry"), { recursive: true });
  mkdirSync(join(root, "var/lib/registry"), { recursive: true });
  writeFileSync(join(root, "etc/docker/registry/config.yml"),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  await runOk(["tar", "-C", root, "-cf", machine.hostPath(`${STAGING}/registry.tar`), "."]);
  const tiny = machine.hostPath(`${STAGING}/tiny-rootfs`);
  mkdirSync(tiny, { recursive: true });
  writeFileSync(join(tiny, "hello.txt"), "songnodes system test\n");
  await runOk(["tar", "-C", tiny, "-cf", machine.hostPath(`${STAGING}/tiny.tar`), "."]);
}

/** `docker …` inside the container; throws when it fails. */
export function docker(machine, args, timeoutMs = 60_000) {
  return machine.execOk(["docker", ...args], { timeoutMs });
}

/**
 * systemd-nspawn mounts the cgroup v1 controllers read-only inside the container, and runc must
 * create a cgroup per container in them: make them writable for the scenario, and read-only again
 * afterwards. (A host with only cgroup v2 has no such mounts: nothing to do.)
 */
export async function writableControllers(machine) {
  const controllers = readFileSync(`/proc/${machine.pid1}/mountinfo`, "utf8").split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields[4]?.startsWith("/sys/fs/cgroup/") && fields.includes("cgroup") && /(^|,)ro(,|$)/.test(fields[5] ?? ""))
    .map((fields) => fields[4]);
  for (const path of controllers) await machine.execOk(["mount", "-o", "remount,bind,rw", path]);
  return async () => {
    for (const path of controllers) await machine.exec(["mount", "-o", "remount,bind,ro", path]);
  };
}

/** Start dockerd as a transient unit on /var/run/docker.sock and wait for `docker version`. */
export async function startRealDockerd(machine) {
  await machine.execOk([
    "systemd-run", `--unit=${REAL_DOCKER_UNIT}`, "--property=KillMode=mixed", "--property=TimeoutStopSec=30",
    "/usr/local/bin/dockerd", "--host", "unix:///var/run/docker.sock", "--bridge=none", "--iptables=false", "--ip6tables=false",
    "--add-runtime", `runc-no-keyring=${RUNC_WRAPPER}`, "--default-runtime", "runc-no-keyring",
    // The v1 controllers inside are the host's: a cgroup parent of the test's own, removed at the end.
    "--cgroup-parent", `/${CGROUP_PARENT}`,
  ]);
  await waitFor("the real dockerd to answer in the container", async () => (await machine.exec(["docker", "version"], { timeoutMs: 5_000 })).code === 0, { timeoutMs: 30_000, intervalMs: 250 });
}

/** Import the registry image and the one-file image, run the registry, push `images` (localhost:port/name:tag). */
export async function startRealRegistry(machine, port, images) {
  await docker(machine, ["import", "--change", `ENTRYPOINT ["${REGISTRY_BINARY}"]`, "--change", 'CMD ["serve", "/etc/docker/registry/config.yml"]', `${STAGING}/registry.tar`, REGISTRY_IMAGE]);
  await docker(machine, ["import", `${STAGING}/tiny.tar`, "songnodes-test/tiny:1"]);
  await docker(machine, ["run", "-d", "--network", "host", "--name", "registry", REGISTRY_IMAGE]);
  await waitForRegistry(machine, port);
  for (const image of images) {
    await docker(machine, ["tag", "songnodes-test/tiny:1", image]);
    await docker(machine, ["push", image]);
  }
}

/** Wait until the registry's /v2/_catalog answers 200 inside the container. */
export function waitForRegistry(machine, port, timeoutMs = 15_000) {
  const probe = `require("http").get("http://127.0.0.1:${port}/v2/_catalog",(r)=>process.exit(r.statusCode===200?0:1)).on("error",()=>process.exit(1))`;
  return waitFor("the real registry's /v2/_catalog", async () => (await machine.exec([STANDIN_NODE, "-e", probe], { timeoutMs: 5_000 })).code === 0, { timeoutMs, intervalMs: 250 });
}

/** Remove the containers and stop dockerd (the transient unit goes with it). */
export async function stopRealDocker(machine) {
  const ids = (await machine.exec(["docker", "ps", "-aq"], { timeoutMs: 15_000 })).stdout.split("\n").filter(Boolean);
  if (ids.length > 0) await machine.exec(["docker", "rm", "-f", ...ids], { timeoutMs: 30_000 });
  await machine.exec(["systemctl", "stop", REAL_DOCKER_UNIT], { timeoutMs: 40_000 });
  await machine.exec(["systemctl", "reset-failed", REAL_DOCKER_UNIT], { timeoutMs: 10_000 });
  // dockerd removes each container's cgroup but leaves the parent; rmdir (find -delete) removes it
  // only when empty.
  await machine.exec(["find", "/sys/fs/cgroup", "-mindepth", "2", "-maxdepth", "2", "-type", "d", "-name", CGROUP_PARENT, "-delete"], { timeoutMs: 10_000 });
}

/** Cgroup directories of the scenario's dockerd still on the host (there must be none after stopRealDocker). */
export function leftoverCgroups() {
  let controllers = [];
  try {
    controllers = readdirSync("/sys/fs/cgroup");
  } catch {
    return [];
  }
  return controllers.map((controller) => join("/sys/fs/cgroup", controller, CGROUP_PARENT)).filter(existsSync);
}
