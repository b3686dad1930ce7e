// Runbook §1, "K3s Auto-Start on Boot": `systemctl is-enabled k3s` should say enabled. A k3s that is
// not enabled stays down after the next reboot and no watchdog can help before someone logs in; the
// same holds for the watchdog's own unit and for a registry container without a Docker restart
// policy. Only reported: enabling a unit is a person's decision (it may be disabled on purpose).

import type { Finding } from "./check-result.js";

/** What was read: a UnitFileState / restart policy, or why it could not be read. */
export type Read<T> = { value: T } | { error: string };

/** The facts the check judges. */
export interface BootEnablementFacts {
  units: { unit: string; state: Read<string> }[];
  registry: { container: string; restartPolicy: Read<string | null> } | null;
}

// "enabled-runtime" (systemctl enable --runtime) is gone after a reboot, so not enabled for this purpose.
const STARTS_AT_BOOT = new Set(["enabled", "static", "alias", "indirect", "generated"]);
// Docker brings these back when dockerd starts; "on-failure" does not after a clean shutdown.
const RESTARTS_WITH_DOCKER = new Set(["always", "unless-stopped"]);

/** Judge the facts: a finding at crit (priority err) for each thing that will not come back after a reboot. */
export function judgeBootEnablement(facts: BootEnablementFacts): Finding[] {
  const findings: Finding[] = [];
  for (const { unit, state } of facts.units) {
    const name = unit.replace(/\.service$/, "");
    if ("error" in state) {
      findings.push({ key: `boot-enable:${unit}:unknown`, level: "unknown", text: `cannot tell whether ${unit} starts at boot: ${state.error}`, next: `systemctl is-enabled ${name}` });
    } else if (!STARTS_AT_BOOT.has(state.value)) {
      findings.push({
        key: `boot-enable:${unit}:${state.value}`,
        level: "crit",
        text: `${unit} is ${state.value}, not enabled: it will not start after the next reboot`,
        next: state.value === "masked" ? `systemctl unmask ${name} && systemctl enable ${name}` : `systemctl enable ${name}`,
      });
    }
  }
  const registry = facts.registry;
  if (registry) {
    const policy = registry.restartPolicy;
    if ("error" in policy) {
      findings.push({ key: "boot-enable:registry:unknown", level: "unknown", text: `cannot read the restart policy of container ${registry.container}: ${policy.error}`, next: `docker inspect -f '{{.HostConfig.RestartPolicy.Name}}' ${registry.container}` });
    } else if (policy.value === null || !RESTARTS_WITH_DOCKER.has(policy.value)) {
      findings.push({
        key: `boot-enable:registry:${policy.value ?? "none"}`,
        level: "crit",
        text: `container ${registry.container} has restart policy ${policy.value ?? "(none)"}: the registry stays down after every reboot`,
        next: `docker update --restart=always ${registry.container}`,
      });
    }
  }
  return findings;
}
