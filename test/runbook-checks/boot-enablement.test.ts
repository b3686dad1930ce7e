// Runbook §1 "K3s Auto-Start on Boot": k3s, the watchdog and the registry come back after a reboot.
import { afterEach, describe, expect, it } from "vitest";
import { createDockerClient } from "../../src/registry/docker-client.js";
import { createBootEnablementCheck } from "../../src/runbook-checks/boot-enablement-check.js";
import { judgeBootEnablement, type BootEnablementFacts } from "../../src/runbook-checks/boot-enablement.js";
import { startRegistryRig, type RegistryRig } from "../sim/docker/registry-rig.js";
import { createFakeUnit } from "../systemd/fake-unit.js";
import { startHarness, type Harness } from "../systemd/harness.js";

let harness: Harness | null = null;
let rig: RegistryRig | null = null;
afterEach(async () => {
  await harness?.close();
  await rig?.close();
  harness = null;
  rig = null;
});
const signal = () => AbortSignal.timeout(5_000);

const facts = (k3s: string, daemon: string, policy: string | null): BootEnablementFacts => ({
  units: [{ unit: "k3s.service", state: { value: k3s } }, { unit: "songnodes-watchdog.service", state: { value: daemon } }],
  registry: { container: "registry", restartPolicy: { value: policy } },
});

describe("judging what starts at boot", () => {
  it.each([
    ["enabled", "enabled", "always", []],
    ["enabled", "enabled", "unless-stopped", []],
    ["static", "enabled", "always", []],
    ["disabled", "enabled", "always", ["k3s.service is disabled, not enabled: it will not start after the next reboot|systemctl enable k3s"]],
    ["enabled-runtime", "enabled", "always", ["k3s.service is enabled-runtime, not enabled: it will not start after the next reboot|systemctl enable k3s"]],
    ["masked", "enabled", "always", ["k3s.service is masked, not enabled: it will not start after the next reboot|systemctl unmask k3s && systemctl enable k3s"]],
    ["enabled", "disabled", "always", ["songnodes-watchdog.service is disabled, not enabled: it will not start after the next reboot|systemctl enable songnodes-watchdog"]],
    ["enabled", "enabled", "no", ["container registry has restart policy no: the registry stays down after every reboot|docker update --restart=always registry"]],
    ["enabled", "enabled", "on-failure", ["container registry has restart policy on-failure: the registry stays down after every reboot|docker update --restart=always registry"]],
    ["enabled", "enabled", null, ["container registry has restart policy (none): the registry stays down after every reboot|docker update --restart=always registry"]],
  ])("k3s %s, watchdog %s, registry restart %s", (k3s, daemon, policy, expected) => {
    const findings = judgeBootEnablement(facts(k3s, daemon, policy));
    expect(findings.map((f) => `${f.text}|${f.next}`)).toEqual(expected);
    expect(findings.every((f) => f.level === "crit")).toBe(true);
  });

  it("a unit systemd cannot tell about is unknown, never crit", () => {
    const findings = judgeBootEnablement({ units: [{ unit: "k3s.service", state: { error: "cannot reach systemd" } }], registry: null });
    expect(findings).toEqual([{ key: "boot-enable:k3s.service:unknown", level: "unknown", text: "cannot tell whether k3s.service starts at boot: cannot reach systemd", next: "systemctl is-enabled k3s" }]);
  });
});

describe("reading UnitFileState over D-Bus and the restart policy from dockerd", () => {
  it("a disabled k3s.service is a crit finding with the command to enable it; the watchdog never enables it", async () => {
    const k3s = { ...createFakeUnit("k3s.service"), unitFileState: () => "disabled" };
    harness = await startHarness([k3s, createFakeUnit("songnodes-watchdog.service")]);
    rig = await startRegistryRig();
    const check = createBootEnablementCheck({ systemd: harness.systemd, docker: createDockerClient({ socketPath: rig.dockerSocket }), units: ["k3s.service", "songnodes-watchdog.service"], container: "registry" });
    const result = await check.run(signal());
    expect(result).toMatchObject({ level: "crit", next: "systemctl enable k3s" });
    expect(result.findings.map((f) => f.key)).toEqual(["boot-enable:k3s.service:disabled"]);
    expect(k3s.calls).toEqual([]);
  });

  it("everything enabled and the registry restarting with Docker is ok", async () => {
    harness = await startHarness([createFakeUnit("k3s.service"), createFakeUnit("songnodes-watchdog.service")]);
    rig = await startRegistryRig();
    const check = createBootEnablementCheck({ systemd: harness.systemd, docker: createDockerClient({ socketPath: rig.dockerSocket }), units: ["k3s.service", "songnodes-watchdog.service"], container: "registry" });
    expect(await check.run(signal())).toEqual({ level: "ok", reason: "k3s.service and songnodes-watchdog.service enabled at boot, container registry restarts with Docker", next: null, findings: [] });
    expect(await harness.systemd.unitFileState("k3s.service", signal())).toBe("enabled");
  });

  it("a registry run without --restart=always is crit: it comes back down after every reboot", async () => {
    harness = await startHarness([createFakeUnit("k3s.service")]);
    rig = await startRegistryRig();
    rig.registry.restartPolicy = () => "no";
    const check = createBootEnablementCheck({ systemd: harness.systemd, docker: createDockerClient({ socketPath: rig.dockerSocket }), units: ["k3s.service"], container: "registry" });
    const result = await check.run(signal());
    expect(result.findings.map((f) => [f.level, f.next])).toEqual([["crit", "docker update --restart=always registry"]]);
  });

  it("a unit systemd does not know reads unknown with systemd's error", async () => {
    harness = await startHarness([createFakeUnit("k3s.service")]);
    const check = createBootEnablementCheck({ systemd: harness.systemd, docker: null, units: ["songnodes-watchdog.service"], container: "registry" });
    const result = await check.run(signal());
    expect(result.level).toBe("unknown");
    expect(result.findings[0]?.text).toMatch(/cannot tell whether songnodes-watchdog.service starts at boot: .*NoSuchUnit|not found/);
  });
});
