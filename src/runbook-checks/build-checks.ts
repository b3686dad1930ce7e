// The runbook checks the daemon runs, built from the config and the adapters the wiring already
// made (one D-Bus connection, one Kubernetes client, one Docker client for everything).
import type { Config } from "../config/schema.js";
import type { KubeClient } from "../kube/client.js";
import type { Clock, Systemd } from "../ports.js";
import type { DockerClient } from "../registry/docker-client.js";
import { createBootEnablementCheck } from "./boot-enablement-check.js";
import type { RunbookCheck } from "./check-result.js";
import { createRunbookKube } from "./kube-objects.js";
import { createPdbCheck } from "./pdb-check.js";
import { createSchedulingCheck } from "./scheduling-check.js";

/** Every runbook check for `config`. */
export function buildRunbookChecks(config: Config, adapters: { systemd: Systemd; kube: KubeClient; docker: DockerClient; clock: Clock }): RunbookCheck[] {
  const kube = createRunbookKube(adapters.kube);
  const namespace = config.namespace;
  return [
    createBootEnablementCheck({ systemd: adapters.systemd, docker: adapters.docker, units: [config.k3s.unit, config.checks.daemonUnit], container: config.registry.container }),
    createSchedulingCheck({ kube, namespace }),
    createPdbCheck({ kube, namespace, clock: adapters.clock, budgetMs: config.timing.podsConvergeBudget }),
  ];
}
