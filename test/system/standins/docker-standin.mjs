// Stand-in for the Docker Engine in the system tests (run by the stand-in docker.service): the
// Engine API on /var/run/docker.sock with one container, `registry`, whose HTTP API serves
// 127.0.0.1:5000 with the songnodes images. Fault (faults.json, key "registry"): a new value of
// `downSeq` stops the registry container (exited, port refusing); `docker restart registry` fixes it.
import { appendFileSync, mkdirSync } from "node:fs";
import { startDockerEngineStandIn } from "../../../dist/src/sim/docker/engine-api.js";
import { startRegistryStandIn } from "../../../dist/src/sim/registry/http-registry.js";
import { createMemoryRegistry } from "../../../dist/src/sim/registry/memory-registry.js";
import { registryRepositories } from "../../../dist/src/sim/model/inventory.js";
import { LISTEN_AFTER_START_MS, RESTART_RANGE_MS } from "../../../dist/src/sim/model/registry.js";
import { log, readFaults } from "./faults.mjs";

// Each restart takes as long as one of Debian's dockerd with the real registry (docs/testing.md).
const between = ({ min, max }) => () => min + Math.floor(Math.random() * (max - min + 1));
const registry = createMemoryRegistry({
  containerName: "registry",
  repositories: Object.fromEntries(registryRepositories()),
  restartMs: between(RESTART_RANGE_MS),
  listenAfterStartMs: between(LISTEN_AFTER_START_MS),
});
const httpRegistry = await startRegistryStandIn({ host: "127.0.0.1", port: 5000, registry, pollMs: 100 });
const engine = await startDockerEngineStandIn({ socketPath: "/var/run/docker.sock", registry });
log.info(`docker stand-in is up: engine /var/run/docker.sock, registry ${httpRegistry.url}`);

// Every restart the watchdog asks for is recorded for the scenarios.
mkdirSync("/var/lib/system-test", { recursive: true });
let restartsSeen = 0;
let appliedDownSeq = readFaults().registry?.downSeq ?? null;
const poll = setInterval(() => {
  if (registry.restartCount() > restartsSeen) {
    restartsSeen = registry.restartCount();
    appendFileSync("/var/lib/system-test/registry-restarts", `${Date.now()}\n`);
    log.info("docker: registry container restarted");
  }
  const downSeq = readFaults().registry?.downSeq ?? null;
  if (downSeq !== null && downSeq !== appliedDownSeq) {
    appliedDownSeq = downSeq;
    registry.set({ container: "exited", apiUp: false });
    void httpRegistry.sync();
    log.warn("docker: registry container exited (system-test fault)");
  }
}, 250);

const stop = async () => {
  clearInterval(poll);
  await engine.close();
  await httpRegistry.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
