import { describe, expect, it } from "vitest";
import { eventPrinter, nodePrinter } from "../../../src/sim/kube/tables/core-tables.js";
import { humanDuration } from "../../../src/sim/kube/tables/table.js";
import { jobPrinter } from "../../../src/sim/kube/tables/workload-tables.js";
import type { KubeObject } from "../../../src/sim/kube/store-types.js";

const NOW = Date.parse("2025-11-13T10:00:00Z");
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("AGE cells read as kube-apiserver's HumanDuration prints them", () => {
  const cases: [number, string][] = [
    [-5 * S, "<invalid>"], [-1 * S, "0s"], [0, "0s"], [119 * S, "119s"], [2 * M, "2m"], [5 * M + 7 * S, "5m7s"],
    [10 * M + 30 * S, "10m"], [179 * M, "179m"], [3 * H, "3h"], [7 * H + 59 * M, "7h59m"], [8 * H + 5 * M, "8h"],
    [47 * H, "47h"], [2 * D, "2d"], [3 * D + 4 * H, "3d4h"], [40 * D, "40d"], [2 * 365 * D, "2y"], [3 * 365 * D + 10 * D, "3y10d"], [9 * 365 * D, "9y"],
  ];
  it.each(cases)("%d ms is %s", (ms, text) => expect(humanDuration(ms)).toBe(text));
});

const at = (ms: number) => new Date(NOW - ms).toISOString();

describe("printers", () => {
  it("an event repeated three times shows its count and first sighting", () => {
    const event = { apiVersion: "v1", kind: "Event", metadata: { name: "e" }, involvedObject: { kind: "Pod", name: "postgres-0" }, type: "Warning", reason: "BackOff", message: " Back-off restarting failed container \n", firstTimestamp: at(10 * M), lastTimestamp: at(2 * M), count: 3 } as KubeObject;
    expect(eventPrinter.cells(event, NOW)).toEqual(["2m (x3 over 10m)", "Warning", "BackOff", "pod/postgres-0", "Back-off restarting failed container"]);
  });

  it("a cordoned NotReady node without role labels", () => {
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "n", creationTimestamp: at(3 * D) }, spec: { unschedulable: true }, status: { conditions: [{ type: "Ready", status: "False" }], nodeInfo: { kubeletVersion: "v1.31.4+k3s1" } } } as KubeObject;
    expect(nodePrinter.cells(node, NOW)).toEqual(["n", "NotReady,SchedulingDisabled", "<none>", "3d", "v1.31.4+k3s1"]);
  });

  it("a running Job's duration counts from its start; a failed one says Failed", () => {
    const running = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", creationTimestamp: at(5 * M) }, spec: { completions: 1 }, status: { startTime: at(4 * M) } } as KubeObject;
    expect(jobPrinter.cells(running, NOW)).toEqual(["j", "Running", "0/1", "4m", "5m"]);
    const failed = { ...running, status: { startTime: at(4 * M), conditions: [{ type: "Failed", status: "True" }] } } as KubeObject;
    expect(jobPrinter.cells(failed, NOW)[1]).toBe("Failed");
  });
});
