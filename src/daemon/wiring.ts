// The one place where the real ports are built from the config: systemd over D-Bus, the
// Kubernetes API, the Docker socket, the containerd socket, journalctl and the killall script.
// Tests and the simulator build their own sets instead (src/sim/ports/).
import type { Config } from "../config/schema.js";
import type { RemedyCommand, RemedyKind } from "../core/types.js";
import { createDeletePods } from "../actions/delete-pods.js";
import { createKillallK3s } from "../actions/killall-k3s.js";
import { createRestartK3s } from "../actions/restart-k3s.js";
import { createRestartRegistry } from "../actions/restart-registry.js";
import { createRunCommand } from "../exec/run-command.js";
import { onlyTrustedPrograms } from "../exec/trusted-program.js";
import { createKubeClient } from "../kube/client.js";
import { ownNodeName } from "../kube/own-node.js";
import { createApiReadyProbe } from "../probes/api-ready.js";
import { createContainerdSocketProbe } from "../probes/containerd-socket.js";
import { createK3sLogProbe } from "../probes/k3s-log.js";
import { K3S_LOG_REFRESH_MS, readK3sLogWhenItCanMatter } from "../probes/k3s-log-cadence.js";
import { createK3sUnitProbe } from "../probes/k3s-unit.js";
import { createNodesProbe } from "../probes/nodes.js";
import { createPodsProbe } from "../probes/pods.js";
import { createRegistryProbe } from "../probes/registry.js";
import { createDockerClient } from "../registry/docker-client.js";
import { createDbusSystemd } from "../systemd/dbus-systemd.js";
import type { Action, Clock, Logger, RunCommand, Systemd } from "../ports.js";
import type { MaintenancePorts } from "../maintenance/check-set.js";
import { createHostFilesystem } from "../maintenance/host-filesystem.js";
import { createServedHostFilesystem } from "../maintenance/served-host-filesystem.js";
import { createKubeReader } from "../maintenance/kube-reader.js";
import { createPodExec } from "../maintenance/pod-exec.js";
import { buildRunbookChecks } from "../runbook-checks/build-checks.js";
import { createRunbookKube } from "../runbook-checks/kube-objects.js";
import type { RunbookCheck } from "../runbook-checks/check-result.js";
import type { ProbeSet } from "./read-probes.js";

export interface RealPorts {
  probes: ProbeSet;
  actions: { [K in RemedyKind]: Action<Extract<RemedyCommand, { kind: K }>> };
  runCommand: RunCommand;
  /** systemd over D-Bus, for start-up's look at an interrupted remedy; absent in tests and the simulator. */
  systemd?: Systemd;
  /** The scheduled checks' I/O; absent in sets that have no maintenance. */
  maintenance?: MaintenancePorts;
  /** The runbook checks (src/runbook-checks/), run outside the loop; none when absent. */
  checks?: RunbookCheck[];
  close(): Promise<void>;
}


/** Build every real probe and action for `config`. Nothing connects until first used. */
export function buildRealPorts(config: Config, logger: Logger, clock: Clock): RealPorts {
  const runCommand = createRunCommand();
  // The programs the config names run as root: each run is checked again, since a file can be
  // swapped after start-up (the start-up check is in src/config/root-programs.ts).
  const rootCommand = onlyTrustedPrograms(runCommand);
  const systemd = createDbusSystemd({ address: config.dbus.address, logger, callTimeoutMs: config.timing.probeTimeout });
  const kube = createKubeClient({ kubeconfigPath: config.k3s.kubeconfig, requestTimeoutMs: config.timing.probeTimeout });
  const docker = createDockerClient({ socketPath: config.registry.dockerSocket, timeoutMs: config.timing.probeTimeout });
  const unit = config.k3s.unit;
  // The k3s log probe reads k3s's journal from the current start attempt on: an old crash that a
  // restart already cured must not keep the ladder stopped.
  let unitStartedAt: number | null = null;
  const unitProbe = createK3sUnitProbe({ systemd, unit, clock });
  // This iteration's unit reading, for the k3s log's cadence (the probes are read together).
  let unitReading: ReturnType<typeof unitProbe.read> | null = null;
  const k3sUnit: typeof unitProbe = {
    ...unitProbe,
    read(signal) {
      unitReading = unitProbe.read(signal).then((reading) => {
        unitStartedAt = reading.detail?.inactiveExitAt ?? unitStartedAt;
        return reading;
      });
      return unitReading;
    },
  };
  const k3sLog = createK3sLogProbe({ runCommand: rootCommand, journalctl: config.k3s.journalctl, unit, containerdLog: config.k3s.containerdLog, timeoutMs: config.timing.probeTimeout, unitStartedAt: () => unitStartedAt });
  const probes: ProbeSet = {
    k3sUnit,
    containerdSocket: createContainerdSocketProbe({ path: config.k3s.containerdSocket, clock }),
    api: createApiReadyProbe({ client: kube, clock }),
    nodes: createNodesProbe({ client: kube, clock, nodeName: ownNodeName(config.nodeName) }),
    pods: createPodsProbe({ client: kube, clock, namespace: config.namespace, localRegistryPrefix: config.registry.imagePrefix }),
    registry: createRegistryProbe({ dockerSocket: config.registry.dockerSocket, container: config.registry.container, endpoint: config.registry.endpoint, timeoutMs: config.timing.probeTimeout, clock }),
    k3sLog: readK3sLogWhenItCanMatter(k3sLog, { clock, refreshMs: K3S_LOG_REFRESH_MS, unit: async () => unitReading, unitStandsFor: () => unitProbe.standsFor?.() ?? 0 }),
  };
  const actions = {
    "restart-k3s": createRestartK3s({ systemd, unit }),
    "killall-k3s": createKillallK3s({ systemd, unit, killall: config.k3s.killall, runCommand: rootCommand, timeoutMs: config.actionTimeouts.killallK3s }),
    "restart-registry": createRestartRegistry({ docker, container: config.registry.container, endpoint: config.registry.endpoint, verifyTimeoutMs: config.actionTimeouts.restartRegistry }),
    "delete-pods": createDeletePods({ kube, namespace: config.namespace }),
  };
  return {
    probes,
    actions,
    runCommand,
    systemd,
    maintenance: { kube: createKubeReader(kube), host: config.maintenance.disk.simulatedHost !== null ? createServedHostFilesystem(config.maintenance.disk.simulatedHost) : createHostFilesystem(), exec: createPodExec(kube), workloads: createRunbookKube(kube) },
    checks: buildRunbookChecks(config, { systemd, kube, docker, clock }),
    async close() {
      await Promise.allSettled(Object.values(probes).map((probe) => probe.close?.()));
      kube.close();
      await systemd.close();
    },
  };
}
