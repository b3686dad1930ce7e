import { describe, expect, it } from "vitest";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "../../../src/sim/kube/selectors.js";
import type { KubeObject } from "../../../src/sim/kube/store-types.js";

const pod = (name: string, phase: string, labels: Record<string, string> = {}, nodeName = "songnodes-node"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "songnodes", labels },
  spec: { nodeName },
  status: { phase },
});

const unknownPod = pod("redis-0", "Unknown", { app: "redis", tier: "cache" });
const failedPod = pod("scraper-1", "Failed", { app: "scraper" });
const runningPod = pod("postgres-0", "Running", { app: "postgres", tier: "db", release: "songnodes" }, "other-node");

describe("field selectors, as the runbook's kubectl commands use them", () => {
  const cases: [string, string[]][] = [
    ["status.phase=Unknown", ["redis-0"]],
    ["status.phase==Failed", ["scraper-1"]],
    ["status.phase!=Running", ["redis-0", "scraper-1"]],
    ["metadata.name=postgres-0", ["postgres-0"]],
    ["metadata.namespace=songnodes,status.phase!=Unknown", ["scraper-1", "postgres-0"]],
    ["spec.nodeName=songnodes-node", ["redis-0", "scraper-1"]],
    ["spec.nodeName=songnodes-node,status.phase=Failed", ["scraper-1"]],
    ["metadata.name=nothing-here", []],
  ];
  it.each(cases)("%s selects %j", (selector, names) => {
    const match = parseFieldSelector(selector, "pods");
    expect([unknownPod, failedPod, runningPod].filter(match).map((p) => p.metadata.name)).toEqual(names);
  });

  it("refuses a field the resource does not index, as a real server does", () => {
    expect(() => parseFieldSelector("spec.containers=x", "pods")).toThrow(new SelectorError("field label not supported: spec.containers"));
    expect(() => parseFieldSelector("status.phase=Running", "persistentvolumeclaims")).toThrow(/field label not supported: status.phase/);
  });

  it("refuses a term without an operator", () => {
    expect(() => parseFieldSelector("status.phase", "pods")).toThrow(SelectorError);
  });
});

describe("label selectors", () => {
  const cases: [string, string[]][] = [
    ["app=redis", ["redis-0"]],
    ["app==postgres", ["postgres-0"]],
    ["app!=redis", ["scraper-1", "postgres-0"]],
    ["tier in (db,cache)", ["redis-0", "postgres-0"]],
    ["tier in ( db , cache )", ["redis-0", "postgres-0"]],
    ["tier notin (db)", ["redis-0", "scraper-1"]],
    ["tier", ["redis-0", "postgres-0"]],
    ["!tier", ["scraper-1"]],
    ["tier,!release", ["redis-0"]],
    ["app in (redis,postgres),tier=db", ["postgres-0"]],
  ];
  it.each(cases)("%s selects %j", (selector, names) => {
    const match = parseLabelSelector(selector);
    expect([unknownPod, failedPod, runningPod].filter(match).map((p) => p.metadata.name)).toEqual(names);
  });

  it.each(["app=", "=x", "app in x", "a b", "-bad=1"])("rejects or reads %j strictly", (selector) => {
    // "app=" is valid (empty value); the others are not.
    if (selector === "app=") {
      expect([unknownPod].filter(parseLabelSelector(selector))).toEqual([]);
      return;
    }
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
  });
});
