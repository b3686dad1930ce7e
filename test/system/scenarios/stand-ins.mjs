// The stand-ins are what the daemon will see: k3s.service (Type=notify) active with its API,
// kubeconfig and containerd socket, the songnodes pods Running, Docker's socket and the registry.
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { kubectlJson, waitForPodsRunning } from "../lib/cluster.mjs";
import { STANDIN_NODE } from "../lib/install.mjs";
import { SIM_SERVERS } from "../lib/needs.mjs";
import { waitForUnit } from "../lib/systemd.mjs";

/** Scenario: stand-ins. */
export const standIns = {
  name: "stand-ins",
  title: "k3s and Docker stand-ins run under systemd as the real ones would",
  timeoutMs: 60_000,
  needs: [SIM_SERVERS],
  diagnose: ["docker.service"],
  async run({ machine, log }) {
    const k3s = await waitForUnit(machine, "k3s.service", ["ActiveState", "SubState", "Type", "MainPID"], (p) => p.ActiveState === "active", { what: "k3s.service active (READY=1 from the stand-in)" });
    assert.equal(k3s.Type, "notify");
    await waitForUnit(machine, "docker.service", ["ActiveState"], (p) => p.ActiveState === "active");
    assert.ok(statSync(machine.livePath("/run/k3s/containerd/containerd.sock")).isSocket(), "containerd socket missing");
    assert.ok(existsSync(machine.livePath("/etc/rancher/k3s/k3s.yaml")), "kubeconfig missing");
    const nodes = await kubectlJson(machine, ["get", "nodes"]);
    assert.equal(nodes.items[0]?.status.conditions.find((c) => c.type === "Ready")?.status, "True");
    const pods = await waitForPodsRunning(machine);
    log(`${pods.length} songnodes pods Running`);
    const catalog = await machine.execOk([STANDIN_NODE, "-e", "fetch('http://127.0.0.1:5000/v2/_catalog').then(r=>r.text()).then(t=>console.log(t))"], { timeoutMs: 10_000 });
    assert.match(catalog.stdout, /songnodes_rest-api/);
    assert.ok(statSync(machine.livePath("/run/docker.sock")).isSocket(), "docker.sock missing");
  },
};
