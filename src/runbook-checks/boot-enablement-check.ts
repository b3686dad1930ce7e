// The I/O of the boot-enablement check: UnitFileState over D-Bus for each unit, the registry's
// HostConfig.RestartPolicy from dockerd. Every failure to read becomes a fact, never a throw.
import type { Systemd } from "../ports.js";
import type { DockerClient } from "../registry/docker-client.js";
import { judgeBootEnablement, type BootEnablementFacts, type Read } from "./boot-enablement.js";
import { resultOf, type RunbookCheck } from "./check-result.js";

export interface BootEnablementDeps {
  systemd: Pick<Systemd, "unitFileState">;
  docker: Pick<DockerClient, "inspectContainer"> | null;
  /** k3s's unit and the watchdog's own. */
  units: string[];
  container: string;
}

/** Build the check `boot-enablement`. */
export function createBootEnablementCheck(deps: BootEnablementDeps): RunbookCheck {
  return {
    name: "boot-enablement",
    async run(signal) {
      const units = await Promise.all(
        deps.units.map(async (unit) => {
          try {
            return { unit, state: { value: await deps.systemd.unitFileState(unit, signal) } as Read<string> };
          } catch (error) {
            return { unit, state: { error: error instanceof Error ? error.message : String(error) } };
          }
        }),
      );
      const facts: BootEnablementFacts = { units, registry: deps.docker ? { container: deps.container, restartPolicy: await restartPolicy(deps.docker, deps.container, signal) } : null };
      return resultOf(judgeBootEnablement(facts), `${deps.units.join(" and ")} enabled at boot${deps.docker ? `, container ${deps.container} restarts with Docker` : ""}`);
    },
  };
}

async function restartPolicy(docker: Pick<DockerClient, "inspectContainer">, container: string, signal: AbortSignal): Promise<Read<string | null>> {
  const inspection = await docker.inspectContainer(container, signal);
  if (inspection.kind === "unreachable") return { error: inspection.reason };
  if (inspection.kind === "missing") return { error: `no container ${container}` };
  return { value: inspection.restartPolicy ?? null };
}
