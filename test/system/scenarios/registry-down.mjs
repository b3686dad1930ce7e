// Registry down: pods recreated while the local registry is down sit in ImagePullBackOff; the
// watchdog restarts the registry container through Docker's API, deletes the affected pods and
// the namespace converges.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { songnodesPods, waitForPodsRunning } from "../lib/cluster.mjs";
import { waitFor } from "../lib/exec.mjs";
import { writeFaults } from "../lib/install.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { history, waitForPhase } from "../lib/watchdog.mjs";

/** Scenario: registry-down. */
export const registryDown = {
  name: "registry-down",
  title: "ImagePullBackOff from a dead registry: registry restarted, pods deleted, namespace converges",
  timeoutMs: 120_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS],
  diagnose: ["docker.service"],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    const since = Date.now();
    writeFaults(machine, { registry: { downSeq: since } });
    // Pods only pull when they start: restart two workloads so their new pods hit the dead registry.
    await machine.execOk(["kubectl", "--kubeconfig", "/etc/rancher/k3s/k3s.yaml", "delete", "pods", "-n", "songnodes", "-l", "app in (rest-api,frontend)", "--wait=false"], { timeoutMs: 15_000 });
    const stuck = await waitFor("ImagePullBackOff pods", async () => {
      const pods = (await songnodesPods(machine)).filter((p) => p.reason === "ImagePullBackOff");
      return pods.length >= 2 ? pods : null;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    log(`in ImagePullBackOff: ${stuck.map((p) => p.name).join(", ")}`);
    await waitForPodsRunning(machine, 90_000);
    const converged = Date.now();
    await waitForPhase(machine, "healthy", 60_000);
    log(`namespace converged ${((converged - since) / 1000).toFixed(1)} s after the registry died`);
    const restarts = readFileSync(machine.hostPath("/var/lib/system-test/registry-restarts"), "utf8").trim().split("\n").filter((line) => Number(line) >= since);
    assert.ok(restarts.length >= 1, "the registry container was never restarted through Docker's API");
    const names = (await songnodesPods(machine)).map((p) => p.uid);
    assert.ok(stuck.every((p) => !names.includes(p.uid)), "a stuck pod was not deleted");
    const actions = (await history(machine, 200)).filter((e) => e.at >= since && e.kind === "action").map((e) => JSON.stringify(e));
    assert.ok(actions.some((a) => /restart-registry/.test(a)), "no restart-registry in the history");
    assert.ok(actions.some((a) => /delete-pods/.test(a)), "no delete-pods in the history");
  },
};
