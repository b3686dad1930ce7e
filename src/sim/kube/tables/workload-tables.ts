// Printers for apps/v1, batch/v1 and policy/v1 resources.
import type { KubeObject } from "../store-types.js";
import { field } from "./core-tables.js";
import { ageColumn, column, humanDuration, since, type TablePrinter } from "./table.js";

const num = (value: unknown) => (typeof value === "number" ? value : 0);
const age = (o: KubeObject, now: number) => since(o.metadata.creationTimestamp, now);

/** NAME READY UP-TO-DATE AVAILABLE AGE. */
export const deploymentPrinter: TablePrinter = {
  columns: [column("Name"), column("Ready"), column("Up-to-date", "integer"), column("Available", "integer"), ageColumn],
  cells: (o, now) => [
    o.metadata.name, `${num(field(o, "status.readyReplicas"))}/${num(field(o, "spec.replicas"))}`,
    num(field(o, "status.updatedReplicas")), num(field(o, "status.availableReplicas")), age(o, now),
  ],
};

/** NAME READY AGE. */
export const statefulSetPrinter: TablePrinter = {
  columns: [column("Name"), column("Ready"), ageColumn],
  cells: (o, now) => [o.metadata.name, `${num(field(o, "status.readyReplicas"))}/${num(field(o, "spec.replicas"))}`, age(o, now)],
};

/** NAME DESIRED CURRENT READY AGE. */
export const replicaSetPrinter: TablePrinter = {
  columns: [column("Name"), column("Desired", "integer"), column("Current", "integer"), column("Ready", "integer"), ageColumn],
  cells: (o, now) => [o.metadata.name, num(field(o, "spec.replicas")), num(field(o, "status.replicas")), num(field(o, "status.readyReplicas")), age(o, now)],
};

const hasCondition = (o: KubeObject, type: string) =>
  ((field(o, "status.conditions") ?? []) as { type: string; status: string }[]).some((c) => c.type === type && c.status === "True");

/** NAME STATUS COMPLETIONS DURATION AGE (the STATUS column is there from 1.28). */
export const jobPrinter: TablePrinter = {
  columns: [column("Name"), column("Status"), column("Completions"), column("Duration"), ageColumn],
  cells(o, now) {
    const status = hasCondition(o, "Complete") ? "Complete"
      : hasCondition(o, "Failed") ? "Failed"
      : o.metadata.deletionTimestamp ? "Terminating"
      : hasCondition(o, "Suspended") ? "Suspended"
      : hasCondition(o, "FailureTarget") ? "FailureTarget"
      : "Running";
    const completions = field(o, "spec.completions");
    const parallelism = num(field(o, "spec.parallelism"));
    const succeeded = num(field(o, "status.succeeded"));
    const done = typeof completions === "number" ? `${succeeded}/${completions}`
      : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    const start = field(o, "status.startTime");
    const end = field(o, "status.completionTime");
    const duration = typeof start !== "string" ? ""
      : typeof end === "string" ? humanDuration(Date.parse(end) - Date.parse(start)) : since(start, now);
    return [o.metadata.name, status, done, duration, age(o, now)];
  },
};

/** NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE (TIMEZONE is there from 1.27). */
export const cronJobPrinter: TablePrinter = {
  columns: [column("Name"), column("Schedule"), column("Timezone"), column("Suspend", "boolean"), column("Active", "integer"), column("Last Schedule"), ageColumn],
  cells(o, now) {
    const last = field(o, "status.lastScheduleTime");
    return [
      o.metadata.name, String(field(o, "spec.schedule") ?? ""), String(field(o, "spec.timeZone") ?? "<none>"),
      field(o, "spec.suspend") === true ? "True" : "False", ((field(o, "status.active") ?? []) as unknown[]).length,
      typeof last === "string" ? since(last, now) : "<none>", age(o, now),
    ];
  },
};

const intOrPercent = (value: unknown) => (value === undefined || value === null ? "N/A" : String(value));

/** NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
export const pdbPrinter: TablePrinter = {
  columns: [column("Name"), column("Min Available"), column("Max Unavailable"), column("Allowed Disruptions", "integer"), ageColumn],
  cells: (o, now) => [
    o.metadata.name, intOrPercent(field(o, "spec.minAvailable")), intOrPercent(field(o, "spec.maxUnavailable")),
    num(field(o, "status.disruptionsAllowed")), age(o, now),
  ],
};
