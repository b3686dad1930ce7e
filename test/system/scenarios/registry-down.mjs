// Registry down: pods recreated while the local registry is down sit in ImagePullBackOff; the
// watchdog restarts the registry container through Docker's API, deletes the affected pods and
// the namespace converges.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { convergeNotingPullFailures, songnodesPods } from "../lib/cluster.mjs";
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
    const stuck = await convergeNotingPullFailures(machine, 120_000);
    log(`seen failing a pull: ${stuck.map((p) => `${p.name} (${p.reason})`).join(", ") || "none between two polls"}`);
    const converged = Date.now();
    await waitForPhase(machine, "healthy", 60_000);
    log(`namespace converged ${((converged - since) / 1000).toFixed(1)} s after the registry died`);
    const restarts = readFileSync(machine.hostPath("/var/lib/system-test/registry-restarts"), "utf8").trim().split("\n").filter((line) => Number(line) >= since);
    assert.ok(restarts.length >= 1, "the registry container was never restarted through Docker's API");
    const names = (await songnodesPods(machine)).map((p) => p.uid);
    assert.ok(stuck.every((p) => !names.includes(p.uid)), "a stuck pod was not deleted");
    // The daemon's own record (the SQLite journal, through the status socket): the registry was
    // restarted first, then exactly the stuck pods were deleted, both successfully.
    const actions = (await history(machine, 500)).filter((e) => e.kind === "action" && e.detail.plannedAt >= since);
    const registry = actions.find((e) => e.detail.kind === "restart-registry" && e.detail.outcome === "succeeded");
    const deletions = actions.filter((e) => e.detail.kind === "delete-pods" && e.detail.outcome === "succeeded");
    assert.ok(registry, `no successful restart-registry in the history: ${actions.map((e) => e.summary).join(" | ")}`);
    assert.ok(deletions.length > 0, `no successful delete-pods in the history: ${actions.map((e) => e.summary).join(" | ")}`);
    const touched = deletions.flatMap((e) => e.detail.touched ?? []);
    for (const pod of stuck) assert.ok(touched.some((t) => t.endsWith(`/${pod.name}`) || t === pod.name), `delete-pods did not name ${pod.name}: ${touched.join(", ")}`);
    // Whether or not a poll caught them failing: the deletions named pods of the two recreated
    // workloads, the only ones that pulled from the dead registry, and nothing else.
    const workload = (t) => t.split("/").pop().replace(/-[a-z0-9]+-[a-z0-9]+$/, "");
    assert.ok(touched.length > 0 && touched.every((t) => ["frontend", "rest-api"].includes(workload(t))), `delete-pods touched: ${touched.join(", ")}`);
    assert.ok(deletions.every((e) => e.detail.startedAt >= registry.detail.finishedAt), "pods were deleted before the registry was back");
    log(`history: ${registry.summary}`);
    for (const e of deletions) log(`history: ${e.summary}`);
  },
};
