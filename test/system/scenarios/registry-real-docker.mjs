// Registry down, with the real peers: the stand-in docker.service makes way for Debian's dockerd
// and the real registry in a container on 127.0.0.1:5000, holding the songnodes images. After
// `docker stop registry`, pods recreated meanwhile sit in ImagePullBackOff; the watchdog, under the
// container's systemd, restarts the container through the Engine API, deletes the stuck pods and the
// namespace converges. The stand-in comes back at the end for the scenarios after this one.
import assert from "node:assert/strict";
import { convergeNotingPullFailures, songnodesPods } from "../lib/cluster.mjs";
import { DAEMON, SIM_SERVERS, STATUS_CLI } from "../lib/needs.mjs";
import { docker, REAL_DOCKER, REAL_DOCKER_UNIT, stageRealDocker, startRealDockerd, startRealRegistry, leftoverCgroups, stopRealDocker, waitForRegistry, writableControllers } from "../lib/real-docker.mjs";
import { history, journalArgs, status, waitForPhase } from "../lib/watchdog.mjs";

const PORT = 5000;

/** The songnodes images the kubelet stand-in pulls from localhost:5000, as push targets. */
async function songnodesImages() {
  const { registryRepositories } = await import("../../../dist/src/sim/model/inventory.js");
  return [...registryRepositories()].flatMap(([name, tags]) => tags.map((tag) => `127.0.0.1:${PORT}/${name}:${tag}`));
}

const inspect = async (machine) => JSON.parse((await docker(machine, ["inspect", "registry"])).stdout)[0].State;

/** Scenario: registry-real-docker. */
export const registryRealDocker = {
  name: "registry-real-docker",
  title: "the real registry container stopped under a real dockerd: restarted through the Engine API, pods deleted, namespace converges",
  timeoutMs: 240_000,
  needs: [DAEMON, STATUS_CLI, SIM_SERVERS, REAL_DOCKER],
  diagnose: [REAL_DOCKER_UNIT, "docker.service"],
  async run({ machine, log }) {
    await waitForPhase(machine, "healthy");
    await stageRealDocker(machine, PORT);
    await machine.execOk(["systemctl", "stop", "docker.service"]);
    const readOnlyAgain = await writableControllers(machine);
    try {
      await startRealDockerd(machine);
      const images = await songnodesImages();
      await startRealRegistry(machine, PORT, images);
      log(`real dockerd ${(await docker(machine, ["version", "--format", "{{.Server.Version}}"])).stdout.trim()} with the real registry on 127.0.0.1:${PORT}, ${images.length} images pushed`);
      await waitForPhase(machine, "healthy", 60_000);
      assert.equal((await status(machine)).phase, "healthy");

      const since = Date.now();
      await docker(machine, ["stop", "registry"]);
      const stopped = await inspect(machine);
      assert.deepEqual([stopped.Status, stopped.ExitCode], ["exited", 2], `docker stop left the registry ${stopped.Status} (${stopped.ExitCode})`);
      await machine.execOk(["kubectl", "--kubeconfig", "/etc/rancher/k3s/k3s.yaml", "delete", "pods", "-n", "songnodes", "-l", "app in (rest-api,frontend)", "--wait=false"], { timeoutMs: 15_000 });
      const stuck = await convergeNotingPullFailures(machine, 120_000);
      log(`seen failing a pull: ${stuck.map((p) => `${p.name} (${p.reason})`).join(", ") || "none between two polls"}`);

      await waitForPhase(machine, "healthy", 60_000);
      log(`namespace converged ${((Date.now() - since) / 1000).toFixed(1)} s after docker stop`);

      // Docker's view: the same container runs again, started after the stop.
      const running = await inspect(machine);
      assert.equal(running.Status, "running");
      assert.ok(Date.parse(running.StartedAt) >= since, `the registry's StartedAt ${running.StartedAt} is before the stop`);
      await waitForRegistry(machine, PORT);

      // The daemon's record through the status socket: exactly one successful restart-registry, then the
      // stuck pods deleted after it finished.
      const actions = (await history(machine, 500)).filter((e) => e.kind === "action" && e.detail.plannedAt >= since);
      const restarts = actions.filter((e) => e.detail.kind === "restart-registry");
      assert.equal(restarts.length, 1, `expected exactly one restart-registry: ${actions.map((e) => e.summary).join(" | ")}`);
      const [restart] = restarts;
      assert.equal(restart.detail.outcome, "succeeded", restart.summary);
      const deletions = actions.filter((e) => e.detail.kind === "delete-pods" && e.detail.outcome === "succeeded");
      assert.ok(deletions.length > 0, `no successful delete-pods: ${actions.map((e) => e.summary).join(" | ")}`);
      const touched = deletions.flatMap((e) => e.detail.touched ?? []);
      for (const pod of stuck) assert.ok(touched.some((t) => t.endsWith(`/${pod.name}`) || t === pod.name), `delete-pods did not name ${pod.name}: ${touched.join(", ")}`);
      // Whether or not a poll caught them failing: the deletions named pods of the two recreated
      // workloads, the only ones that pulled from the dead registry, and nothing else.
      const workload = (t) => t.split("/").pop().replace(/-[a-z0-9]+-[a-z0-9]+$/, "");
      assert.ok(touched.length > 0 && touched.every((t) => ["frontend", "rest-api"].includes(workload(t))), `delete-pods touched: ${touched.join(", ")}`);
      assert.ok(deletions.every((e) => e.detail.startedAt >= restart.detail.finishedAt), "pods were deleted before the registry was back");
      assert.ok(!actions.some((e) => e.detail.kind === "restart-k3s" || e.detail.kind === "killall-k3s"), "k3s was touched for a registry fault");

      // journald: the action's outcome with the real catalog's answer, at priority info.
      const journal = await machine.execOk(["journalctl", "--no-pager", "-o", "cat", ...journalArgs(since)], { timeoutMs: 15_000 });
      const repositories = new Set(images.map((image) => image.split("/").slice(1).join("/").split(":")[0])).size;
      const done = new RegExp(`restart-registry done: restarted container registry; GET /v2/_catalog answered 200 with ${repositories} repositor(y|ies) after \\d+\\.\\d s`);
      assert.match(journal.stdout, done);
      log(`journal: ${journal.stdout.split("\n").find((line) => done.test(line))}`);
    } finally {
      await stopRealDocker(machine).catch((error) => log(`cleanup: ${error.message}`));
      await readOnlyAgain();
      await machine.execOk(["systemctl", "start", "docker.service"]);
    }
    assert.deepEqual(leftoverCgroups(), [], "the real dockerd's cgroups were left on the host");
    await waitForPhase(machine, "healthy", 60_000);
  },
};
