// Clearing the served node's faults (POST /v1/faults/clear): the model stops failing, and what a
// fault broke heals as it would once the cause is gone.
import { describe, expect, it } from "vitest";
import { createSongNodesNode } from "../../../src/sim/model/songnodes-node.js";
import { clearFaults } from "../../../src/sim/serve/clear-faults.js";
import { startControlSocket } from "../../../src/sim/serve/control-socket.js";
import { askDaemon } from "../../../src/status/client.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const START = Date.parse("2025-11-14T02:30:00Z");

describe("clearing the served node's faults", () => {
  it("a registry down for good comes back, and nothing else is said to have been on", () => {
    const node = createSongNodesNode({ start: START, seed: 1, initial: "healthy" });
    node.inject({ fault: "registry-down", fixedByRestart: false });
    node.advance(START + 30_000);
    expect(node.registry.apiUp()).toBe(false);
    expect(clearFaults(node)).toEqual(["registry"]);
    node.advance(START + 60_000);
    expect(node.registry.apiUp()).toBe(true);
    expect(node.healthy()).toBe(true);
  });

  it("a k3s that fails every start starts again, and the cleared switches are named", () => {
    const node = createSongNodesNode({ start: START, seed: 1, initial: "healthy" });
    node.inject({ fault: "k3s-fails-to-start", times: 100_000 });
    node.inject({ fault: "slow-pulls", duration: 600_000, workloads: null });
    node.advance(START + 60_000);
    expect(node.unit.properties().activeState).not.toBe("active");
    expect(clearFaults(node).sort()).toEqual(["failStarts", "slowPulls"]);
    node.advance(START + 5 * 60_000);
    expect(node.unit.properties()).toMatchObject({ activeState: "active", subState: "running" });
  });

  it("with no fault on, clearing changes nothing and says so", () => {
    const node = createSongNodesNode({ start: START, seed: 1, initial: "healthy" });
    expect(clearFaults(node)).toEqual([]);
    node.advance(START + 60_000);
    expect(node.healthy()).toBe(true);
  });
});

describe("POST /v1/faults/clear on the control socket", () => {
  it("clears the node's faults and answers what was cleared and the node's line", async () => {
    const node = createSongNodesNode({ start: START, seed: 1, initial: "healthy" });
    node.inject({ fault: "registry-down", fixedByRestart: false });
    const path = join(mkdtempSync(join(tmpdir(), "swd-clear-")), "sim-control.sock");
    const socket = await startControlSocket(path, {
      killall() {},
      inject: (fault) => node.inject(fault),
      clearFaults: () => clearFaults(node),
      describe: () => ({ nodeTime: "", wallTime: "", speed: 1, healthy: node.healthy(), summary: node.summary() }),
    });
    try {
      const answer = await askDaemon({ socketPath: path, method: "POST", path: "/v1/faults/clear" });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ cleared: ["registry"], node: expect.stringContaining("registry exited") });
    } finally {
      await socket.close();
    }
  });
});
