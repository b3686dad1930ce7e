// The daemon counts the tracks once after every boot, the first time the node is healthy in it: the
// runbook's "verify data integrity" after a reboot, through the same data-integrity check the
// schedule runs. Never while the node is not healthy, and not again when the daemon restarts
// within the same boot.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startDaemon } from "../../src/daemon/daemon.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import type { PodExec } from "../../src/maintenance/ports.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimMaintenancePorts } from "../../src/sim/ports/sim-maintenance.js";
import { healthy, pod } from "../core/builders.js";
import { until } from "../daemon/built-daemon.js";
import { fakeActions, fakeProbes, memoryLogger } from "../daemon/fakes.js";

// Only the boot can start the count here: its schedule is once a year and the catch-up is an hour away.
const CONFIG = `timing:
  tick: 1s
  healthyHold: 1s
maintenance:
  timezone: UTC
  catchUpDelay: 1h
  dataIntegrity: { enabled: true, schedule: "0 3 1 1 *" }
`;

function countRuns(stateDir: string): { why: string; level: string }[] {
  const db = new Database(join(stateDir, "journal.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT why, level FROM maintenance_runs WHERE check_name = 'data-integrity' ORDER BY id").all() as { why: string; level: string }[];
  } finally {
    db.close();
  }
}

describe("the data count after a boot", () => {
  it("runs once when the node first becomes healthy in a boot, never before, and not again after a daemon restart in the same boot", async () => {
    const root = mkdtempSync(join(tmpdir(), "swd-count-boot-"));
    const configPath = join(root, "config.yaml");
    const stateDir = join(root, "state");
    writeFileSync(configPath, CONFIG);
    const node = createSongNodesNode({ start: Date.now(), seed: 3, initial: "healthy" });
    const sim = createSimMaintenancePorts(node);
    const execs: { phaseHealthy: boolean }[] = [];
    let nodeHealthy = false;
    const exec: PodExec = { exec: (target, argv, limits, signal) => (execs.push({ phaseHealthy: nodeHealthy }), sim.exec.exec(target, argv, limits, signal)) };
    const probes = fakeProbes();
    // A pod not ready yet: the node is converging, not healthy.
    probes.readings = healthy([pod("postgres-0", { display: "Running", ready: false })]);
    const start = async () => {
      const logger = memoryLogger();
      const daemon = await startDaemon({
        configPath, stateDir, runtimeDir: join(root, "run"), env: {}, logger,
        ports: { probes: probes.probes, actions: fakeActions().actions, runCommand: createRunCommand(), maintenance: { ...sim, exec }, close: async () => {} },
      });
      if (typeof daemon === "number") throw new Error(`daemon exited ${daemon}`);
      return { daemon, logger };
    };

    const first = await start();
    try {
      for (let i = 0; i < 3; i++) await first.daemon.scheduler.nextIteration();
      expect(first.daemon.loop.state().phase).toBe("pods-converging");
      expect(execs).toEqual([]);
      probes.readings = healthy();
      nodeHealthy = true;
      await until("the count after the boot", () => (first.daemon.loop.state().phase === "healthy" && countRuns(stateDir).length > 0 ? true : undefined));
      for (let i = 0; i < 3; i++) await first.daemon.scheduler.nextIteration();
    } finally {
      await first.daemon.stop("test");
    }
    expect(execs).toEqual([{ phaseHealthy: true }]);
    const runs = countRuns(stateDir);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.why).toMatch(/^after boot [0-9a-f]{8}$/);
    expect(runs[0]!.level).toBe("ok");

    // systemctl restart songnodes-watchdog: the same boot, so no second count.
    const second = await start();
    try {
      await until("the second daemon healthy", () => (second.daemon.loop.state().phase === "healthy" ? true : undefined));
      for (let i = 0; i < 3; i++) await second.daemon.scheduler.nextIteration();
    } finally {
      await second.daemon.stop("test");
    }
    expect(execs).toHaveLength(1);
    expect(countRuns(stateDir)).toHaveLength(1);
  });
});
