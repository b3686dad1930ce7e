// The runbook checks the daemon runs, built from the config and the adapters the wiring already
// made (one D-Bus connection, one Kubernetes client, one Docker client for everything).
import type { Config } from "../config/schema.js";
import type { KubeClient } from "../kube/client.js";
import type { Clock, Systemd } from "../ports.js";
import type { DockerClient } from "../registry/docker-client.js";
import { createBootEnablementCheck } from "./boot-enablement-check.js";
import type { RunbookCheck } from "./check-result.js";
import { createRunbookKube, type RunbookKube } from "./kube-objects.js";
import { createPdbCheck } from "./pdb-check.js";
import { createSchedulingCheck } from "./scheduling-check.js";
import { createAuditCheck } from "../audit/audit-check.js";
import { SONGNODES_CHECKLIST } from "../audit/checklist.js";
import { createFluxCheck } from "../flux/flux-check.js";

/** Every runbook check for `config`, over the real adapters. */
export function buildRunbookChecks(config: Config, adapters: { systemd: Systemd; kube: KubeClient; docker: DockerClient; clock: Clock }): RunbookCheck[] {
  return buildChecksFrom(config, { systemd: adapters.systemd, docker: adapters.docker, kube: createRunbookKube(adapters.kube), clock: adapters.clock });
}

/** Every runbook check over the given ports (the simulator hands in its own). */
export function buildChecksFrom(config: Config, ports: { systemd: Pick<Systemd, "unitFileState">; docker: Pick<DockerClient, "inspectContainer">; kube: RunbookKube; clock: Clock }): RunbookCheck[] {
  const { kube } = ports;
  const namespace = config.namespace;
  return [
    createBootEnablementCheck({ systemd: ports.systemd, docker: ports.docker, units: [config.k3s.unit, config.checks.daemonUnit], container: config.registry.container }),
    createSchedulingCheck({ kube, namespace }),
    createPdbCheck({ kube, namespace, clock: ports.clock, budgetMs: config.timing.podsConvergeBudget }),
    createFluxCheck({ kube, flux: config.flux, clock: ports.clock, dryRun: config.dryRun }),
    createAuditCheck({ kube, namespace, clock: ports.clock, everyMs: config.checks.auditEvery, checklist: SONGNODES_CHECKLIST }),
  ];
}
