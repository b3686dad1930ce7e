// The runbook checks with the daemon's real adapters (D-Bus, dockerd's API, client-node over HTTPS)
// against `simulate --serve`, and the same facts through busctl and kubectl.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { createKubeClient } from "../../src/kube/client.js";
import { createDockerClient } from "../../src/registry/docker-client.js";
import { buildRunbookChecks } from "../../src/runbook-checks/build-checks.js";
import type { RunbookCheck } from "../../src/runbook-checks/check-result.js";
import { serveSimulatedNode, type ServedNode } from "../../src/sim/serve/serve-node.js";
import { createDbusSystemd } from "../../src/systemd/dbus-systemd.js";
import type { Systemd } from "../../src/ports.js";

const tools = ["/usr/bin/kubectl", "/usr/bin/busctl", "/usr/bin/dbus-daemon"].filter((tool) => !existsSync(tool));
const QUIET = { debug() {}, info() {}, warn() {}, error() {} };
let dir: string;
let served: ServedNode;
let systemd: Systemd;
let checks: Map<string, RunbookCheck>;

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 20_000, killSignal: "SIGKILL", env: { ...process.env, HOME: dir } }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : -1) : 0 });
    });
  });
}
const kubectl = (...args: string[]) => run("/usr/bin/kubectl", ["--kubeconfig", served.paths.kubeconfig, "--cache-dir", join(dir, "kcache"), ...args]);
const cli = join(process.cwd(), "dist/src/cli.js");
const audit = (...args: string[]) => run(process.execPath, [cli, "audit", "-c", served.paths.configPath, ...args]);
const check = (name: string) => checks.get(name)!.run(AbortSignal.timeout(10_000));

describe.skipIf(tools.length > 0)("the runbook checks against the served node", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "runbook-served-"));
    served = await serveSimulatedNode({ outDir: join(dir, "node"), speed: 20, startAt: Date.parse("2026-11-26T02:30:00Z") });
    const config: Config = parseConfig(parse(readFileSync(served.paths.configPath, "utf8")));
    systemd = createDbusSystemd({ address: config.dbus.address, logger: QUIET, callTimeoutMs: 5_000 });
    const kube = createKubeClient({ kubeconfigPath: config.k3s.kubeconfig, requestTimeoutMs: 5_000 });
    const docker = createDockerClient({ socketPath: config.registry.dockerSocket });
    checks = new Map(buildRunbookChecks(config, { systemd, kube, docker, clock: { now: () => Date.now() } }).map((c) => [c.name, c]));
  }, 60_000);
  afterAll(async () => {
    await systemd?.close();
    await served?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("k3s, the watchdog and the registry start at boot on a healthy node", async () => {
    expect(await check("boot-enablement")).toMatchObject({ level: "ok", findings: [] });
    const shown = await run("/usr/bin/busctl", [`--address=${served.paths.busAddress}`, "get-property", "org.freedesktop.systemd1", "/org/freedesktop/systemd1/unit/k3s_2eservice", "org.freedesktop.systemd1.Unit", "UnitFileState"]);
    expect(shown.stdout).toBe('s "enabled"\n');
  });

  it("systemctl disable k3s and a registry without --restart=always: two crit findings with their commands", async () => {
    served.inject({ fault: "k3s-disabled", unit: "k3s.service" });
    served.inject({ fault: "registry-no-restart-policy" });
    const result = await check("boot-enablement");
    expect(result.findings.map((f) => [f.level, f.next])).toEqual([
      ["crit", "systemctl enable k3s"],
      ["crit", "docker update --restart=always registry"],
    ]);
    const shown = await run("/usr/bin/busctl", [`--address=${served.paths.busAddress}`, "get-property", "org.freedesktop.systemd1", "/org/freedesktop/systemd1/unit/k3s_2eservice", "org.freedesktop.systemd1.Unit", "UnitFileState"]);
    expect(shown.stdout).toBe('s "disabled"\n');
  });

  it("kubectl get pdb shows the six PDBs of the runbook at their minimum, and the PDB check agrees", async () => {
    const result = await kubectl("get", "pdb", "-n", "songnodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.currentHealthy}/{.status.desiredHealthy} {end}");
    expect(result.stdout.trim().split(" ").sort()).toEqual(["graph-visualization-pdb=1/1", "metadata-enrichment-pdb=1/1", "postgres-pdb=1/1", "rabbitmq-pdb=1/1", "redis-pdb=1/1", "rest-api-pdb=1/1"]);
    expect(await check("pdbs")).toMatchObject({ level: "ok", findings: [] });
  });

  it("a second rest-api replica that does not fit: Pending with FailedScheduling, reported with the runbook's advice", async () => {
    served.inject({ fault: "insufficient-memory", workload: "rest-api" });
    const events = await kubectl("get", "events", "-n", "songnodes", "--field-selector", "reason=FailedScheduling", "-o", "jsonpath={.items[*].message}");
    expect(events.stdout).toContain("Insufficient memory");
    const result = await check("scheduling");
    expect(result.level).toBe("warn");
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]?.text).toMatch(/^pod rest-api-\S+-mem1 cannot be scheduled \(0\/1 nodes are available: 1 Insufficient memory\..*\): lower the memory requests and limits in values.yaml and keep one replica per service$/);
  });

  it("audit: the chart as it is passes the resilience checklist, exit 0, every line within 80 columns", async () => {
    const result = await audit();
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("all 91 checks ok");
    for (const line of result.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("audit: a rollout without rest-api's liveness probe and redis's limits is two warnings naming the fields, exit 1", async () => {
    served.inject({ fault: "spec-missing", workload: "rest-api", field: "livenessProbe" });
    served.inject({ fault: "spec-missing", workload: "redis", field: "limits" });
    const shown = await kubectl("get", "deployment", "rest-api", "-n", "songnodes", "-o", "jsonpath={.spec.template.spec.containers[0].livenessProbe}");
    expect(shown).toMatchObject({ code: 0, stdout: "" });
    const result = await audit("--json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.lines.filter((l: { ok: boolean }) => !l.ok)).toEqual([
      { workload: "deploy/redis", rule: "resources", ok: false, detail: "set spec.template.spec.containers[redis].resources.limits.memory" },
      { workload: "deploy/rest-api", rule: "probes", ok: false, detail: "set spec.template.spec.containers[rest-api].livenessProbe" },
    ]);
  });

  it("kubectl annotate sets the requestedAt annotation with a merge patch, and Flux's controllers handle it", async () => {
    const annotate = await kubectl("annotate", "--overwrite", "-n", "flux-system", "helmrelease/songnodes", "reconcile.fluxcd.io/requestedAt=2026-11-26T02:31:00Z");
    expect(annotate).toMatchObject({ code: 0, stdout: "helmrelease.helm.toolkit.fluxcd.io/songnodes annotated\n" });
    const shown = await kubectl("get", "helmreleases", "-n", "flux-system");
    expect(shown.stdout).toMatch(/^NAME\s+AGE\s+READY\s+STATUS\nsongnodes\s+\S+\s+True\s+Helm upgrade succeeded/);
  });

  it("GitOps: a failed release is reported with its reason and revisions, and the reconcile the check requests fixes it", async () => {
    served.inject({ fault: "flux-release-failed", fixedByReconcile: true });
    const { createFluxCheck } = await import("../../src/flux/flux-check.js");
    const { createRunbookKube } = await import("../../src/runbook-checks/kube-objects.js");
    const config = parseConfig({ flux: { reconcile: true, holdOff: "1s" }, k3s: { kubeconfig: served.paths.kubeconfig } });
    const gitops = createFluxCheck({ kube: createRunbookKube(createKubeClient({ kubeconfigPath: served.paths.kubeconfig, requestTimeoutMs: 5_000 })), flux: config.flux, clock: { now: () => Date.now() }, dryRun: false });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const failed = await gitops.run(AbortSignal.timeout(10_000));
    expect(failed.level).toBe("crit");
    expect(failed.reason).toMatch(/^HelmRelease flux-system\/songnodes not Ready for \d+ min: UpgradeFailed: upgrade retries exhausted; applied 0\.1\.14\+7c1e0a9d5b3f, source at main@sha1:b2d4f6a8c0e1\w+; reconcile requested for GitRepository songnodes and HelmRelease songnodes$/);
    const annotations = await kubectl("get", "gitrepository", "songnodes", "-n", "flux-system", "-o", "jsonpath={.metadata.annotations}");
    expect(annotations.stdout).toContain("reconcile.fluxcd.io/requestedAt");
    const after = await gitops.run(AbortSignal.timeout(10_000));
    expect(after).toMatchObject({ level: "ok", findings: [] });
  });
});
