// Printers for core/v1 resources: pods, nodes, persistentvolumeclaims, events, namespaces, services.
import type { KubeObject } from "../store-types.js";
import { podColumns } from "./pod-columns.js";
import { ageColumn, column, since, type TablePrinter } from "./table.js";

/** A nested field of a plain JSON object, or undefined. */
export function field(object: unknown, path: string): unknown {
  let value = object;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const str = (value: unknown, fallback = "") => (typeof value === "string" && value !== "" ? value : fallback);
const age = (o: KubeObject, now: number) => since(o.metadata.creationTimestamp, now);

/** NAME READY STATUS RESTARTS AGE. */
export const podPrinter: TablePrinter = {
  columns: [column("Name"), column("Ready"), column("Status"), column("Restarts"), ageColumn],
  cells(o, now) {
    const view = podColumns(o);
    const restarts = view.lastRestartAt ? `${view.restarts} (${since(view.lastRestartAt, now)} ago)` : String(view.restarts);
    return [o.metadata.name, view.ready, view.status, restarts, age(o, now)];
  },
};

/** NAME STATUS ROLES AGE VERSION; k3s labels its server node control-plane and master. */
export const nodePrinter: TablePrinter = {
  columns: [column("Name"), column("Status"), column("Roles"), ageColumn, column("Version")],
  cells(o, now) {
    const conditions = (field(o, "status.conditions") ?? []) as { type: string; status: string }[];
    const ready = conditions.find((c) => c.type === "Ready");
    const states = [ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown"];
    if (field(o, "spec.unschedulable") === true) states.push("SchedulingDisabled");
    const roles = Object.keys(o.metadata.labels ?? {})
      .filter((k) => k.startsWith("node-role.kubernetes.io/"))
      .map((k) => k.slice("node-role.kubernetes.io/".length))
      .sort();
    return [o.metadata.name, states.join(","), roles.join(",") || "<none>", age(o, now), str(field(o, "status.nodeInfo.kubeletVersion"))];
  },
};

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

/** NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE (1.29+ columns). */
export const pvcPrinter: TablePrinter = {
  columns: [column("Name"), column("Status"), column("Volume"), column("Capacity"), column("Access Modes"), column("StorageClass"), column("VolumeAttributesClass"), ageColumn],
  cells(o, now) {
    const phase = o.metadata.deletionTimestamp ? "Terminating" : str(field(o, "status.phase"));
    const bound = str(field(o, "spec.volumeName")) !== "";
    const modes = ((field(o, bound ? "status.accessModes" : "spec.accessModes") ?? []) as string[]).map((m) => ACCESS_MODES[m] ?? m);
    return [
      o.metadata.name, phase, str(field(o, "spec.volumeName")),
      bound ? str(field(o, "status.capacity.storage")) : "", modes.join(","),
      str(field(o, "spec.storageClassName")), str(field(o, "spec.volumeAttributesClassName"), "<unset>"), age(o, now),
    ];
  },
};

/** LAST SEEN TYPE REASON OBJECT MESSAGE; a repeated event shows "(x3 over 10m)". */
export const eventPrinter: TablePrinter = {
  columns: [column("Last Seen"), column("Type"), column("Reason"), column("Object"), column("Message")],
  cells(o, now) {
    const first = since(field(o, "firstTimestamp") ?? field(o, "eventTime"), now);
    let last = field(o, "lastTimestamp") ? since(field(o, "lastTimestamp"), now) : first;
    let count = Number(field(o, "count") ?? 1) || 1;
    if (field(o, "series")) {
      last = since(field(o, "series.lastObservedTime"), now);
      count = Number(field(o, "series.count") ?? count);
    }
    if (count > 1) last = `${last} (x${count} over ${first})`;
    const kind = str(field(o, "involvedObject.kind")).toLowerCase();
    const name = str(field(o, "involvedObject.name"));
    return [last, str(field(o, "type")), str(field(o, "reason")), name ? `${kind}/${name}` : kind, str(field(o, "message")).trim()];
  },
};

/** NAME STATUS AGE. */
export const namespacePrinter: TablePrinter = {
  columns: [column("Name"), column("Status"), ageColumn],
  cells: (o, now) => [o.metadata.name, str(field(o, "status.phase"), "Active"), age(o, now)],
};

/** NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE. */
export const servicePrinter: TablePrinter = {
  columns: [column("Name"), column("Type"), column("Cluster-IP"), column("External-IP"), column("Port(s)"), ageColumn],
  cells(o, now) {
    const ports = ((field(o, "spec.ports") ?? []) as { port: number; protocol?: string; nodePort?: number }[])
      .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`);
    return [o.metadata.name, str(field(o, "spec.type"), "ClusterIP"), str(field(o, "spec.clusterIP"), "None"), "<none>", ports.join(",") || "<none>", age(o, now)];
  },
};
