// Runbook "Memory Pressure on Single Node" and §4 PodDisruptionBudgets, judged from the API's objects.
import { afterEach, describe, expect, it } from "vitest";
import { createRunbookKube } from "../../src/runbook-checks/kube-objects.js";
import { createPdbCheck } from "../../src/runbook-checks/pdb-check.js";
import { findShortfalls, judgePdbs } from "../../src/runbook-checks/pdb-status.js";
import { createSchedulingCheck } from "../../src/runbook-checks/scheduling-check.js";
import { findUnschedulable, judgeScheduling } from "../../src/runbook-checks/scheduling-failures.js";
import type { KubeObject } from "../../src/sim/kube/store-types.js";
import { startSimApi, type SimApi } from "../kube/helpers/sim-api.js";

let api: SimApi | null = null;
afterEach(async () => {
  await api?.cleanup();
  api = null;
});
const signal = () => AbortSignal.timeout(5_000);
const T0 = Date.parse("2025-11-14T10:30:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

const pending = (name: string, uid: string, condition?: { status: string; message: string }) => ({
  apiVersion: "v1", kind: "Pod",
  metadata: { name, namespace: "songnodes", uid, labels: { app: name.split("-")[0] } },
  spec: { containers: [{ name: "c", image: "x" }] },
  status: { phase: "Pending", ...(condition ? { conditions: [{ type: "PodScheduled", status: condition.status, reason: "Unschedulable", message: condition.message }] } : {}) },
});
const failedScheduling = (uid: string, pod: string, message: string, at: number) => ({
  apiVersion: "v1", kind: "Event", metadata: { name: `${pod}.${at}`, namespace: "songnodes" },
  involvedObject: { kind: "Pod", name: pod, uid, namespace: "songnodes" },
  reason: "FailedScheduling", message, type: "Warning", lastTimestamp: iso(at), firstTimestamp: iso(at), count: 1,
});
const MEMORY = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
const DISK = "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: not eligible.";

describe("pods that cannot be scheduled", () => {
  it.each([
    ["PodScheduled=False, Insufficient memory", [pending("rest-api-1", "u1", { status: "False", message: MEMORY })], [], "lower the memory requests and limits in values.yaml and keep one replica per service"],
    ["a FailedScheduling event, Insufficient cpu", [pending("rest-api-1", "u1")], [failedScheduling("u1", "rest-api-1", "0/1 nodes are available: 1 Insufficient cpu.", T0)], "lower the cpu requests in values.yaml and keep one replica per service"],
    ["an untolerated disk-pressure taint", [pending("rest-api-1", "u1", { status: "False", message: DISK })], [], "the node is tainted (disk or memory pressure): free the resource named, the taint then lifts by itself"],
  ])("%s is reported with the runbook's advice", (_what, pods, events, advice) => {
    const findings = judgeScheduling(findUnschedulable(pods, events), "songnodes");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: "scheduling:u1", level: "warn", next: "kubectl -n songnodes describe pod rest-api-1" });
    expect(findings[0]!.text.endsWith(`: ${advice}`)).toBe(true);
  });

  it("the newest FailedScheduling event's message is the one reported", () => {
    const events = [failedScheduling("u1", "p", "0/1 nodes are available: 1 Insufficient cpu.", T0 + 60_000), failedScheduling("u1", "p", MEMORY, T0)];
    expect(findUnschedulable([pending("p", "u1")], events)[0]).toMatchObject({ cause: "cpu" });
  });

  it.each([
    ["a Pending pod already bound to the node (pulling its image)", { ...pending("p", "u1", { status: "False", message: MEMORY }), spec: { nodeName: "songnodes-node", containers: [] } }, true],
    ["a Running pod with an old FailedScheduling event", { ...pending("p", "u1"), status: { phase: "Running" } }, true],
    ["a Pending pod with neither condition nor event", pending("p", "u1"), false],
    ["a Pending pod being deleted", { ...pending("p", "u1", { status: "False", message: MEMORY }), metadata: { name: "p", uid: "u1", deletionTimestamp: iso(T0) } }, true],
  ])("%s is not a scheduling failure", (_what, pod, withEvent) => {
    expect(findUnschedulable([pod], withEvent ? [failedScheduling("u1", "p", MEMORY, T0)] : [])).toEqual([]);
  });

  it("reads pods and events from the API over HTTPS", async () => {
    api = await startSimApi({ pods: [pending("rest-api-7d9f-abcde", "uid-1")] });
    api.store.put("events", failedScheduling("uid-1", "rest-api-7d9f-abcde", MEMORY, Date.now()) as KubeObject);
    const result = await createSchedulingCheck({ kube: createRunbookKube(api.client), namespace: "songnodes" }).run(signal());
    expect(result.level).toBe("warn");
    expect(result.findings.map((f) => f.key)).toEqual([`scheduling:${api.store.get("pods", "songnodes", "rest-api-7d9f-abcde")!.metadata.uid}`]);
    expect(result.reason).toContain("Insufficient memory");
  });
});

const pdb = (name: string, current: number, desired: number, since?: number) => ({
  apiVersion: "policy/v1", kind: "PodDisruptionBudget",
  metadata: { name: `${name}-pdb`, namespace: "songnodes", uid: `pdb-${name}` },
  spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
  status: {
    currentHealthy: current, desiredHealthy: desired, expectedPods: 1, disruptionsAllowed: Math.max(0, current - desired),
    conditions: since === undefined ? [] : [{ type: "DisruptionAllowed", status: "False", reason: "InsufficientPods", lastTransitionTime: iso(since) }],
  },
});
const pod = (name: string, app: string, status: object, extra: object = {}) => ({ metadata: { name, uid: name, labels: { app }, ...extra }, status });
const BUDGET = 5 * 60_000;

describe("PodDisruptionBudgets below their minimum", () => {
  it("a PDB below its minimum for longer than the convergence budget is reported with its pods and their state", () => {
    const pods = [pod("postgres-0", "postgres", { phase: "Running", containerStatuses: [{ ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } }] }), pod("redis-1", "redis", { phase: "Running" })];
    const findings = judgePdbs(findShortfalls([pdb("postgres", 0, 1, T0), pdb("redis", 1, 1)], pods, T0 + 6 * 60_000, new Map()), T0 + 6 * 60_000, BUDGET, "songnodes");
    expect(findings).toEqual([{
      key: `pdb:pdb-postgres:${T0}`, level: "warn",
      text: "PodDisruptionBudget postgres-pdb has 0 healthy of 1 wanted for 6 min: postgres-0 CrashLoopBackOff",
      next: "kubectl -n songnodes get pdb postgres-pdb; kubectl -n songnodes get pods",
    }]);
  });

  it.each([
    ["below for 4 minutes (a restart converging)", T0 + 4 * 60_000, 0],
    ["below for exactly the budget", T0 + 5 * 60_000, 0],
    ["below for 5 minutes and 1 second", T0 + 5 * 60_000 + 1_000, 1],
  ])("%s: %i finding(s)", (_what, now, count) => {
    expect(judgePdbs(findShortfalls([pdb("rest-api", 0, 1, T0)], [], now, new Map()), now, BUDGET, "songnodes")).toHaveLength(count);
  });

  it("without a transition time the first sighting starts the clock, and recovering forgets it", () => {
    const seen = new Map<string, number>();
    expect(judgePdbs(findShortfalls([pdb("redis", 0, 1)], [], T0, seen), T0, BUDGET, "songnodes")).toEqual([]);
    const later = T0 + 6 * 60_000;
    expect(judgePdbs(findShortfalls([pdb("redis", 0, 1)], [], later, seen), later, BUDGET, "songnodes").map((f) => f.text)).toEqual(["PodDisruptionBudget redis-pdb has 0 healthy of 1 wanted for 6 min: no pods match its selector"]);
    findShortfalls([pdb("redis", 1, 1)], [], later + 1, seen);
    expect(seen.size).toBe(0);
  });

  it("reads PDBs and pods from the API over HTTPS on the daemon's clock", async () => {
    api = await startSimApi({ pods: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "redis-5c-x", namespace: "songnodes", labels: { app: "redis" } }, status: { phase: "Failed", reason: "Evicted" } }] });
    api.store.put("poddisruptionbudgets", pdb("redis", 0, 1, T0) as KubeObject);
    const check = createPdbCheck({ kube: createRunbookKube(api.client), namespace: "songnodes", clock: { now: () => T0 + 10 * 60_000 }, budgetMs: BUDGET });
    const result = await check.run(signal());
    expect(result.findings.map((f) => f.text)).toEqual(["PodDisruptionBudget redis-pdb has 0 healthy of 1 wanted for 10 min: redis-5c-x Evicted"]);
  });
});
