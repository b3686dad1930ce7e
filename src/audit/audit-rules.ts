// The Resilience Checklist against the live workloads: one verdict per workload and rule, each warn
// naming the field to change. Pure: the objects come in as the API returns them. Nothing here acts.
import type { ApiObject } from "../runbook-checks/kube-objects.js";
import type { Checklist, RuleName } from "./checklist.js";

/** One line of the audit. */
export interface AuditLine {
  /** "deploy/rest-api", "sts/postgres", "cj/postgres-backup". */
  workload: string;
  rule: RuleName;
  ok: boolean;
  /** ok: what was found; warn: the field to change and how. */
  detail: string;
}

/** The namespace's objects the audit reads. */
export interface AuditObjects {
  deployments: ApiObject[];
  statefulSets: ApiObject[];
  cronJobs: ApiObject[];
  pvcs: ApiObject[];
  pdbs: ApiObject[];
  hpas: ApiObject[];
}

interface Workload {
  ref: string;
  kind: "Deployment" | "StatefulSet" | "CronJob";
  name: string;
  object: ApiObject;
  /** The pod template's spec and where it sits, for the field paths. */
  pod: ApiObject;
  podPath: string;
  labels: Record<string, string>;
}

const SHORT = { Deployment: "deploy", StatefulSet: "sts", CronJob: "cj" } as const;

function workloadsOf(objects: AuditObjects): Workload[] {
  const of = (kind: Workload["kind"], items: ApiObject[]) =>
    items.map((object): Workload => {
      const template = kind === "CronJob" ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
      const name = String(object.metadata?.name);
      return {
        ref: `${SHORT[kind]}/${name}`, kind, name, object,
        pod: template?.spec ?? {},
        podPath: kind === "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec",
        labels: template?.metadata?.labels ?? {},
      };
    });
  return [...of("StatefulSet", objects.statefulSets), ...of("Deployment", objects.deployments), ...of("CronJob", objects.cronJobs)];
}

const containers = (w: Workload): ApiObject[] => (Array.isArray(w.pod.containers) ? w.pod.containers : []);
const has = (value: unknown): boolean => value !== undefined && value !== null && !(typeof value === "object" && Object.keys(value as object).length === 0);
const tagOf = (image: string): string => {
  const last = image.slice(image.lastIndexOf("/") + 1);
  if (last.includes("@")) return "digest";
  return last.includes(":") ? last.slice(last.indexOf(":") + 1) : "latest";
};

/** Audit every workload against `checklist`; lines in workload order, then rule order. */
export function auditWorkloads(objects: AuditObjects, checklist: Checklist): AuditLine[] {
  const lines: AuditLine[] = [];
  const claims = new Set(objects.pvcs.map((pvc) => String(pvc.metadata?.name)));
  for (const w of workloadsOf(objects)) {
    const line = (rule: RuleName, ok: boolean, detail: string) => lines.push({ workload: w.ref, rule, ok, detail });
    const path = (c: ApiObject, field: string) => `${w.podPath}.containers[${c.name}].${field}`;

    const missing = containers(w).flatMap((c) => [
      ...(has(c.resources?.requests?.memory) && has(c.resources?.requests?.cpu) ? [] : [path(c, "resources.requests")]),
      ...(has(c.resources?.limits?.memory) ? [] : [path(c, "resources.limits.memory")]),
    ]);
    line("resources", missing.length === 0, missing.length === 0 ? "requests and limits set" : `set ${missing.join(", ")}`);

    if (w.kind !== "CronJob") {
      const noProbe = containers(w).flatMap((c) => ["livenessProbe", "readinessProbe"].filter((p) => !has(c[p])).map((p) => path(c, p)));
      line("probes", noProbe.length === 0, noProbe.length === 0 ? "liveness and readiness set" : `set ${noProbe.join(", ")}`);
    }

    const waits = checklist.initWaits[w.name];
    if (waits) {
      const inits: ApiObject[] = Array.isArray(w.pod.initContainers) ? w.pod.initContainers : [];
      const text = (c: ApiObject) => [c.name, ...(c.command ?? []), ...(c.args ?? [])].join(" ").toLowerCase();
      const absent = waits.filter((service) => !inits.some((c) => text(c).includes(service)));
      line("init-wait", absent.length === 0, absent.length === 0 ? `waits for ${waits.join(" and ")}` : `add an init container to ${w.podPath}.initContainers waiting for ${absent.join(" and ")}`);
    }

    const wanted = w.kind === "CronJob" ? ["OnFailure"] : ["Always"];
    const policy = String(w.pod.restartPolicy ?? "Always");
    line("restart-policy", wanted.includes(policy), wanted.includes(policy) ? `restartPolicy ${policy}` : `set ${w.podPath}.restartPolicy: ${wanted[0]} (is ${policy})`);

    if (checklist.stateful.includes(w.name)) {
      const templates: ApiObject[] = w.object.spec?.volumeClaimTemplates ?? [];
      const mounted = ((w.pod.volumes ?? []) as ApiObject[]).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => typeof n === "string");
      const bound = mounted.filter((n) => claims.has(n));
      const ok = templates.length > 0 || bound.length > 0;
      line("pvc", ok, ok ? (templates.length > 0 ? "volumeClaimTemplates" : `PVC ${bound.join(", ")}`) : mounted.length > 0 ? `PVC ${mounted.join(", ")} does not exist: create it` : `mount a PVC in ${w.podPath}.volumes (stateful data)`);
    }

    if (w.kind !== "CronJob") {
      const replicas = w.object.spec?.replicas ?? 1;
      line("replicas", replicas === 1, replicas === 1 ? "one replica" : `set spec.replicas: 1 (is ${replicas}): single-node cluster`);
    }

    const hpa = objects.hpas.find((h) => h.spec?.scaleTargetRef?.kind === w.kind && h.spec?.scaleTargetRef?.name === w.name);
    if (w.kind !== "CronJob") line("autoscaling", !hpa, hpa ? `delete HorizontalPodAutoscaler ${hpa.metadata?.name}: autoscaling stays off` : "no HorizontalPodAutoscaler");

    const latest = containers(w).filter((c) => typeof c.image === "string" && tagOf(c.image) === "latest");
    const stale = latest.filter((c) => c.imagePullPolicy !== "Always");
    line("pull-policy", stale.length === 0, stale.length === 0 ? (latest.length > 0 ? "Always for :latest" : "no :latest image") : `set ${stale.map((c) => path(c, "imagePullPolicy")).join(", ")}: Always`);

    const min = checklist.pdbs[w.name];
    if (min !== undefined) {
      const pdb = objects.pdbs.find((p) => {
        const match: Record<string, string> = p.spec?.selector?.matchLabels ?? {};
        return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => w.labels[k] === v);
      });
      const got = typeof pdb?.spec?.minAvailable === "number" ? pdb.spec.minAvailable : null;
      line("pdb", got !== null && got >= min, pdb === undefined ? `add a PodDisruptionBudget with minAvailable: ${min}` : got !== null && got >= min ? `${pdb.metadata?.name} minAvailable ${got}` : `set ${pdb.metadata?.name} spec.minAvailable: ${min}`);
    }
  }
  return lines;
}
