// Server-side printing: kubectl asks for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
// and prints whatever columns the server returns, so the columns here are kube-apiserver's own
// (pkg/printers/internalversion) for the line of Kubernetes k3s 1.31 ships.
import type { KubeObject } from "../store-types.js";

/** One column of a meta.k8s.io/v1 Table. */
export interface TableColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  priority: number;
}

/** How a resource turns one object into the cells of its row; `now` in ms since the epoch. */
export interface TablePrinter {
  columns: TableColumn[];
  cells(object: KubeObject, now: number): unknown[];
}

/** A column of priority 0 (shown without -o wide); the name column has format "name". */
export function column(name: string, type: TableColumn["type"] = "string", description = ""): TableColumn {
  return { name, type, format: name === "Name" ? "name" : "", description, priority: 0 };
}

/** Go's duration.HumanDuration, which kube-apiserver uses for every AGE-like cell. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.trunc(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for a missing timestamp, else the human age. */
export function since(timestamp: unknown, now: number): string {
  if (typeof timestamp !== "string" || timestamp === "") return "<unknown>";
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? "<unknown>" : humanDuration(now - at);
}

/** The AGE column every printer ends with. */
export const ageColumn = column("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

/** For resources without a printer: NAME and AGE, as the default table convertor of CRDs shows. */
export const defaultPrinter: TablePrinter = {
  columns: [column("Name", "string", "Name must be unique within a namespace."), ageColumn],
  cells: (o, now) => [o.metadata.name, since(o.metadata.creationTimestamp, now)],
};

/** What a row's `object` holds: nothing, the metadata only (the default) or the whole object (--sort-by). */
export type IncludeObject = "None" | "Metadata" | "Object";

/** Build the meta.k8s.io/v1 Table for `objects`. */
export function buildTable(printer: TablePrinter, objects: KubeObject[], now: number, include: IncludeObject, listMeta: object): object {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => ({
      cells: printer.cells(o, now),
      object:
        include === "Object"
          ? o
          : include === "Metadata"
            ? { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata }
            : undefined,
    })),
  };
}
