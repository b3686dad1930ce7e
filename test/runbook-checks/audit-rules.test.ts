// The runbook's Resilience Checklist, rule by rule, against workloads as the API returns them.
import { describe, expect, it } from "vitest";
import { auditWorkloads, type AuditLine, type AuditObjects } from "../../src/audit/audit-rules.js";
import { formatAudit } from "../../src/audit/audit-format.js";
import { SONGNODES_CHECKLIST } from "../../src/audit/checklist.js";
import { createAuditCheck } from "../../src/audit/audit-check.js";
import type { RunbookKube } from "../../src/runbook-checks/kube-objects.js";

const probe = { httpGet: { path: "/health", port: 8080 } };
const good = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
const container = (over: object = {}) => ({ name: "rest-api", image: "localhost:5000/songnodes_rest-api:latest", imagePullPolicy: "Always", resources: good, livenessProbe: probe, readinessProbe: probe, ...over });
const restApi = (pod: object = {}, spec: object = {}) => ({
  metadata: { name: "rest-api", generation: 1 },
  spec: {
    replicas: 1, ...spec,
    template: { metadata: { labels: { app: "rest-api" } }, spec: { restartPolicy: "Always", initContainers: [{ name: "wait-for-postgres", command: ["sh", "-c", "until nc -z postgres 5432; do sleep 2; done"] }], containers: [container()], ...pod } },
  },
});
const pdb = { metadata: { name: "rest-api-pdb" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "rest-api" } } } };
const objects = (over: Partial<AuditObjects> = {}): AuditObjects => ({ deployments: [restApi()], statefulSets: [], cronJobs: [], pvcs: [], pdbs: [pdb], hpas: [], ...over });
const warnings = (o: AuditObjects) => auditWorkloads(o, SONGNODES_CHECKLIST).filter((l) => !l.ok).map((l) => `${l.rule}: ${l.detail}`);

describe("the resilience checklist", () => {
  it("rest-api as the chart writes it passes every rule that applies to it", () => {
    const lines = auditWorkloads(objects(), SONGNODES_CHECKLIST);
    expect(lines.map((l) => [l.rule, l.ok])).toEqual([["resources", true], ["probes", true], ["init-wait", true], ["restart-policy", true], ["replicas", true], ["autoscaling", true], ["pull-policy", true], ["pdb", true]]);
  });

  it.each([
    ["no memory limit", { containers: [container({ resources: { requests: good.requests } })] }, {}, "resources: set spec.template.spec.containers[rest-api].resources.limits.memory"],
    ["no requests", { containers: [container({ resources: { limits: good.limits } })] }, {}, "resources: set spec.template.spec.containers[rest-api].resources.requests"],
    ["no liveness probe", { containers: [container({ livenessProbe: undefined })] }, {}, "probes: set spec.template.spec.containers[rest-api].livenessProbe"],
    ["no init container waiting for postgres", { initContainers: [] }, {}, "init-wait: add an init container to spec.template.spec.initContainers waiting for postgres"],
    ["restartPolicy Never", { restartPolicy: "Never" }, {}, "restart-policy: set spec.template.spec.restartPolicy: Always (is Never)"],
    ["two replicas", {}, { replicas: 2 }, "replicas: set spec.replicas: 1 (is 2): single-node cluster"],
    [":latest with IfNotPresent", { containers: [container({ imagePullPolicy: "IfNotPresent" })] }, {}, "pull-policy: set spec.template.spec.containers[rest-api].imagePullPolicy: Always"],
    ["an untagged image with no pull policy", { containers: [container({ image: "localhost:5000/songnodes_rest-api", imagePullPolicy: undefined })] }, {}, "pull-policy: set spec.template.spec.containers[rest-api].imagePullPolicy: Always"],
  ])("%s is a warning naming the field", (_what, pod, spec, expected) => {
    expect(warnings(objects({ deployments: [restApi(pod, spec)] }))).toEqual([expected]);
  });

  it("a HorizontalPodAutoscaler on rest-api and a missing PDB are warnings", () => {
    const hpa = { metadata: { name: "rest-api" }, spec: { scaleTargetRef: { kind: "Deployment", name: "rest-api" } } };
    expect(warnings(objects({ hpas: [hpa], pdbs: [] }))).toEqual(["autoscaling: delete HorizontalPodAutoscaler rest-api: autoscaling stays off", "pdb: add a PodDisruptionBudget with minAvailable: 1"]);
  });

  it("CronJobs want OnFailure, have no probe or replica rules, and the backup keeps its dumps on a PVC", () => {
    const backup = (restartPolicy: string, claim: string) => ({
      metadata: { name: "postgres-backup" },
      spec: { jobTemplate: { spec: { template: { spec: { restartPolicy, containers: [{ name: "backup", image: "postgres:15-alpine", resources: good }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: claim } }] } } } } },
    });
    const pvcs = [{ metadata: { name: "postgres-backup-storage" } }];
    expect(auditWorkloads(objects({ deployments: [], pdbs: [], cronJobs: [backup("OnFailure", "postgres-backup-storage")], pvcs }), SONGNODES_CHECKLIST).map((l) => `${l.rule} ${l.ok}`)).toEqual(["resources true", "restart-policy true", "pvc true", "pull-policy true"]);
    expect(warnings(objects({ deployments: [], pdbs: [], cronJobs: [backup("Always", "gone")], pvcs }))).toEqual([
      "restart-policy: set spec.jobTemplate.spec.template.spec.restartPolicy: OnFailure (is Always)",
      "pvc: PVC gone does not exist: create it",
    ]);
  });

  it("the text report fits 80 columns and wraps a long field under its rule", () => {
    const many = { containers: [container({ livenessProbe: undefined, readinessProbe: undefined, name: "enrichment-sidecar" })] };
    const text = formatAudit("songnodes", auditWorkloads(objects({ deployments: [restApi(many)] }), SONGNODES_CHECKLIST));
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain("warn deploy/rest-api probes\n       set containers[enrichment-sidecar].livenessProbe,\n       containers[enrichment-sidecar].readinessProbe\n");
    expect(text.trimEnd().split("\n").at(-1)).toBe("1 of 8 checks warn: change the fields named above");
  });
});

describe("the audit's text in bytes", () => {
  it("an ok line shortened with an ellipsis stays within 80 bytes (the ellipsis is three)", () => {
    const line = { workload: "deploy/graph-visualization", rule: "pdb", ok: true, detail: "graph-visualization-pdb minAvailable 1 and then some more words" } as AuditLine;
    const text = formatAudit("songnodes", [line]);
    expect(text).toContain("…");
    for (const each of text.split("\n")) expect(Buffer.byteLength(each)).toBeLessThanOrEqual(80);
  });
});

describe("the audit as a scheduled check", () => {
  const kubeWith = (deployments: object[]): RunbookKube & { lists: number } => {
    const kube = {
      lists: 0,
      async list(resource: { plural: string }) {
        kube.lists++;
        if (resource.plural === "horizontalpodautoscalers") return { error: "HTTP 404", notFound: true };
        return { items: resource.plural === "deployments" ? deployments : resource.plural === "poddisruptionbudgets" ? [pdb] : [] };
      },
      async mergePatch() {
        return null;
      },
    };
    return kube as never;
  };

  it("re-audits when due or after a rollout (a new generation), and keeps its result in between", async () => {
    const deployments: object[] = [restApi()];
    let now = 0;
    const check = createAuditCheck({ kube: kubeWith(deployments), namespace: "songnodes", clock: { now: () => now }, everyMs: 7 * 86_400_000, checklist: SONGNODES_CHECKLIST });
    expect((await check.run(AbortSignal.timeout(1000))).level).toBe("ok");
    deployments[0] = { ...restApi({ containers: [container({ readinessProbe: undefined })] }), metadata: { name: "rest-api", generation: 2 } };
    now = 60_000;
    const after = await check.run(AbortSignal.timeout(1000));
    expect(after.findings.map((f) => f.key)).toEqual(["audit:deploy/rest-api:probes"]);
    expect(after.findings[0]?.next).toBe("songnodes-watchdog audit");
  });
});
