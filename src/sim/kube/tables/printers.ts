// Which printer each resource uses; resources without one get NAME and AGE.
import type { ResourceName } from "../store-types.js";
import { eventPrinter, namespacePrinter, nodePrinter, podPrinter, pvcPrinter, servicePrinter } from "./core-tables.js";
import { defaultPrinter, type TablePrinter } from "./table.js";
import { fluxPrinter } from "./flux-tables.js";
import { cronJobPrinter, deploymentPrinter, jobPrinter, pdbPrinter, replicaSetPrinter, statefulSetPrinter } from "./workload-tables.js";

const PRINTERS: Record<ResourceName, TablePrinter> = {
  pods: podPrinter,
  nodes: nodePrinter,
  persistentvolumeclaims: pvcPrinter,
  events: eventPrinter,
  namespaces: namespacePrinter,
  services: servicePrinter,
  deployments: deploymentPrinter,
  statefulsets: statefulSetPrinter,
  replicasets: replicaSetPrinter,
  jobs: jobPrinter,
  cronjobs: cronJobPrinter,
  poddisruptionbudgets: pdbPrinter,
  gitrepositories: fluxPrinter,
  helmreleases: fluxPrinter,
};

/** The printer kube-apiserver uses for `resource`. */
export function printerFor(resource: ResourceName): TablePrinter {
  return PRINTERS[resource] ?? defaultPrinter;
}
