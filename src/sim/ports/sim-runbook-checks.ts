// The runbook checks over the simulated node, for the virtual clock: the SAME checks and interpreters
// the daemon runs (src/runbook-checks/), with their I/O ports reading the model directly. Where the
// real adapter could not look (API down, D-Bus gone) these say so at once, as the probes do.
import type { Config } from "../../config/schema.js";
import type { Clock, Systemd } from "../../ports.js";
import type { DockerClient } from "../../registry/docker-client.js";
import { buildChecksFrom } from "../../runbook-checks/build-checks.js";
import type { RunbookCheck } from "../../runbook-checks/check-result.js";
import type { RunbookKube } from "../../runbook-checks/kube-objects.js";
import type { KubeObject, ResourceName } from "../kube/store-types.js";
import { mergePatch } from "../kube/merge-patch.js";
import { RESOURCES as SERVED } from "../kube/resources.js";
import type { SongNodesNode } from "../model/songnodes-node.js";

/** The model's store as the checks' Kubernetes port; a resource the node does not serve is a 404. */
export function simRunbookKube(node: SongNodesNode): RunbookKube {
  return {
    async list(resource, namespace) {
      if (node.runtime.apiAnswer() !== "ok") return { error: `cannot list ${resource.plural}: the API does not answer`, notFound: false };
      const served = SERVED.find((r) => r.group === resource.group && r.name === resource.plural && (!r.group.endsWith("fluxcd.io") || node.faces.flux.installed()));
      if (!served) return { error: `HTTP 404 NotFound: the server could not find the requested resource (${resource.plural}.${resource.group})`, notFound: true };
      return { items: node.store.list(served.name as ResourceName, namespace).items };
    },
    async mergePatch(resource, namespace, name, patch) {
      if (node.runtime.apiAnswer() !== "ok") return `cannot patch ${resource.plural}/${name}: the API does not answer`;
      const served = SERVED.find((r) => r.group === resource.group && r.name === resource.plural && (!r.group.endsWith("fluxcd.io") || node.faces.flux.installed()));
      const found = served ? node.store.get(served.name as ResourceName, namespace, name) : undefined;
      if (!served || !found) return `HTTP 404 NotFound: ${resource.plural}.${resource.group} "${name}" not found`;
      node.store.put(served.name as ResourceName, mergePatch(found, patch) as KubeObject);
      return null;
    },
  };
}

/** Every runbook check over `node`. */
export function createSimRunbookChecks(node: SongNodesNode, config: Config, clock: Clock): RunbookCheck[] {
  const systemd: Pick<Systemd, "unitFileState"> = {
    async unitFileState(unit) {
      if (!node.runtime.systemdReachable()) throw new Error("cannot reach systemd on the system bus");
      return node.faces.unitFileState(unit);
    },
  };
  const docker: Pick<DockerClient, "inspectContainer"> = {
    async inspectContainer() {
      const status = node.registry.containerState();
      return { kind: "found", status, running: status === "running", restarting: status === "restarting", exitCode: 0, startedAt: null, restartPolicy: node.faces.registryRestartPolicy() };
    },
  };
  return buildChecksFrom(config, { systemd, docker, kube: simRunbookKube(node), clock });
}
