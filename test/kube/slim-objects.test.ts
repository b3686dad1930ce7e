// The caches keep slim objects: every pod and node reads exactly the same through the views, and a
// pod as the API serves it (managedFields, volumes, env, probes) shrinks to the fields that are read.
import { describe, expect, it } from "vitest";
import { nodeView } from "../../src/kube/node-view.js";
import { podView } from "../../src/kube/pod-view.js";
import { slimNode, slimPod } from "../../src/kube/slim-objects.js";
import * as field from "./fixtures/field-pods.js";
import * as pods from "./fixtures/pods.js";
import { readyNode } from "./helpers/sim-api.js";

const opts = { localRegistryPrefix: "localhost:5000/" };
const all = { ...pods, ...field } as Record<string, unknown>;
const podFixtures = Object.entries(all).filter(([, v]) => typeof v === "object" && v !== null && (v as { kind?: string }).kind === "Pod") as [string, Parameters<typeof podView>[0]][];

/** A pod the size kube-apiserver really serves: managedFields, volumes, env, probes, resources. */
function fat(pod: Record<string, any>): Record<string, any> {
  const copy = structuredClone(pod);
  copy.metadata.managedFields = Array.from({ length: 4 }, (_, i) => ({ manager: `kubelet-${i}`, operation: "Update", apiVersion: "v1", time: "2025-11-13T08:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:status": { "f:conditions": { ".": {}, 'k:{"type":"Ready"}': { ".": {}, "f:status": {} } } } } }));
  copy.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": "x".repeat(2_000) };
  copy.spec.volumes = Array.from({ length: 6 }, (_, i) => ({ name: `vol-${i}`, projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }] } }));
  copy.spec.containers = copy.spec.containers.map((c: Record<string, unknown>) => ({ ...c, env: Array.from({ length: 20 }, (_, i) => ({ name: `ENV_${i}`, value: "v".repeat(40) })), livenessProbe: { httpGet: { path: "/health", port: 8080 } }, resources: { limits: { memory: "512Mi" } } }));
  return copy;
}

describe("slim objects", () => {
  it.each(podFixtures)("%s reads the same through podView, slim or whole", (_, pod) => {
    expect(podView(slimPod(pod as Record<string, unknown>), opts)).toEqual(podView(pod, opts));
  });

  it("a node reads the same through nodeView, slim or whole", () => {
    const node = readyNode() as Parameters<typeof nodeView>[0];
    expect(nodeView(slimNode(node as Record<string, unknown>))).toEqual(nodeView(node));
    expect(nodeView(slimNode({ metadata: { name: "n" } }))).toEqual(nodeView({ metadata: { name: "n" } }));
  });

  it("keeps under a fifth of a pod as the API serves it", () => {
    for (const [, pod] of podFixtures) {
      const whole = JSON.stringify(fat(pod as Record<string, any>)).length;
      const slim = JSON.stringify(slimPod(fat(pod as Record<string, any>))).length;
      expect(slim / whole).toBeLessThan(0.2);
    }
    const kept = slimPod(fat(pods.running as Record<string, any>)) as Record<string, any>;
    expect(kept.metadata.managedFields).toBeUndefined();
    expect(kept.spec.volumes).toBeUndefined();
    expect(kept.spec.containers[0].env).toBeUndefined();
  });

  it("never throws on odd shapes", () => {
    expect(() => slimPod({ metadata: null, spec: "x", status: { containerStatuses: [null, 3, { state: "running" }] } } as Record<string, unknown>)).not.toThrow();
  });
});
