// Flux's CRDs print their Ready condition (additionalPrinterColumns): NAME AGE READY STATUS, as
// `kubectl get helmreleases -n flux-system` shows them.
import type { KubeObject } from "../store-types.js";
import { field } from "./core-tables.js";
import { ageColumn, column, since, type TablePrinter } from "./table.js";

const ready = (o: KubeObject) => ((field(o, "status.conditions") ?? []) as { type: string; status: string; message?: string }[]).find((c) => c.type === "Ready");

/** NAME AGE READY STATUS. */
export const fluxPrinter: TablePrinter = {
  columns: [column("Name"), ageColumn, column("Ready"), column("Status")],
  cells: (o, now) => [o.metadata.name, since(o.metadata.creationTimestamp, now), ready(o)?.status ?? "Unknown", ready(o)?.message ?? ""],
};
