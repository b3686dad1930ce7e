// Stand-in for the k3s server process in the system tests, run by the stand-in k3s.service
// (Type=notify). Like k3s it serves the Kubernetes API with its kubeconfig at
// /etc/rancher/k3s/k3s.yaml, opens containerd's socket at /run/k3s/containerd/containerd.sock,
// runs the kubelet for the songnodes pods and only then sends READY=1. Faults (faults.json, key
// "k3s"): failStarts (the next N starts exit 1), fail (every start exits 1), startDelayMs.
import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { startApiServer } from "../../../dist/src/sim/kube/api-server.js";
import { createObjectStore } from "../../../dist/src/sim/kube/store.js";
import { log, readFaults, writeFaults } from "./faults.mjs";
import { startKubelet } from "./kubelet.mjs";

const CONTAINERD_SOCKET = "/run/k3s/containerd/containerd.sock";
const KUBECONFIG = "/etc/rancher/k3s/k3s.yaml";
const SIM_DIR = "/var/lib/rancher/k3s/server/sim";
const API_PORT = 6443;

mkdirSync("/var/lib/system-test", { recursive: true });
appendFileSync("/var/lib/system-test/k3s-starts", `${Date.now()}\n`);
const faults = readFaults();
const k3s = faults.k3s ?? {};

if (k3s.fail || (k3s.failStarts ?? 0) > 0) {
  if (!k3s.fail) writeFaults({ ...faults, k3s: { ...k3s, failStarts: k3s.failStarts - 1 } });
  log.error("level=fatal msg=\"starting kubernetes: preparing server: simulated start failure (system-test fault)\"");
  setTimeout(() => process.exit(1), 300);
} else {
  await new Promise((resolve) => setTimeout(resolve, k3s.startDelayMs ?? 300));
  const containerd = await listenContainerd();
  const store = createObjectStore({ now: () => Date.now() });
  const kubelet = startKubelet(store);
  const api = await startApiServer({ store, token: "system-test-token", dir: SIM_DIR, port: API_PORT, bookmarkIntervalMs: 5_000 });
  mkdirSync("/etc/rancher/k3s", { recursive: true });
  copyFileSync(api.kubeconfigPath, KUBECONFIG);
  log.info(`k3s stand-in is up: API ${api.url}, containerd ${CONTAINERD_SOCKET}`);
  notify(["--ready", "--status=k3s stand-in running"]);
  const stop = async () => {
    notify(["STOPPING=1"]); // systemd-notify 252 has no --stopping option
    // Open watches can hold the API server's close; k3s stops within seconds, so does this.
    setTimeout(() => process.exit(0), 2_000).unref();
    kubelet.stop();
    await api.stop();
    containerd.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** containerd's socket: a stale file from a killed k3s is replaced, as containerd does. */
async function listenContainerd() {
  mkdirSync("/run/k3s/containerd", { recursive: true });
  rmSync(CONTAINERD_SOCKET, { force: true });
  const server = createServer((socket) => socket.end());
  await new Promise((resolve, reject) => server.once("error", reject).listen(CONTAINERD_SOCKET, resolve));
  return server;
}

/** sd_notify through systemd-notify: run as root and spawned directly it speaks for this process. */
function notify(args) {
  spawnSync("systemd-notify", ["--no-block", ...args], { timeout: 5_000, stdio: "ignore" });
}
