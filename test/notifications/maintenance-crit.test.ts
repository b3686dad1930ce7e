// A maintenance crit finding, as the daemon really tells it: the runner's onFinding, the finding's
// notification, the outbox and a receiver on the loopback. Told once while the finding lasts, and
// again, with a new id, each time it clears and comes back (within the outbox's 7 days too).
import { request } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type RunningDaemon } from "../../src/daemon/daemon.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import { findingNotification } from "../../src/maintenance/notify-findings.js";
import type { FindingEvent } from "../../src/maintenance/runner.js";
import type { NotificationEvent } from "../../src/notifications/event.js";
import { createSongNodesNode, type SongNodesNode } from "../../src/sim/model/songnodes-node.js";
import { createSimMaintenancePorts } from "../../src/sim/ports/sim-maintenance.js";
import { fakeActions, fakeProbes, memoryLogger } from "../daemon/fakes.js";
import { startReceiver, until, type Receiver } from "./receiver.js";
import { webhookDaemonConfig } from "./rig.js";

/** Run one maintenance check by hand over the control socket, as `maintenance run NAME` does. */
function runCheck(controlPath: string, name: string): Promise<{ level: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: controlPath, path: "/v1/maintenance/run", method: "POST", timeout: 10_000, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(text).run) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
    });
    req.on("error", reject);
    req.end(JSON.stringify({ name, by: "test" }));
  });
}

/** Fill (or empty) the simulated root file system to `percent` at once. */
function fillRoot(node: SongNodesNode, percent: number): void {
  node.inject({ fault: "disk-filling", path: "/", toPercent: percent, over: 1 });
  node.advance(node.now() + 1000);
}

const finding: FindingEvent = { check: "host-disk", finding: { key: "disk:/:crit", level: "crit", text: "/ 97 % used", next: "df -h /" }, at: 1_800_000_000_000 };

describe("a maintenance crit finding's notification", () => {
  it("has one id per occurrence: the same occurrence again is the same id (retries de-duplicate), a later one a new id", () => {
    const first = findingNotification(finding, "n")!;
    expect(first).toMatchObject({ kind: "maintenance-crit", severity: "critical", title: "maintenance finding: crit (host-disk)", message: "/ 97 % used; next: df -h /" });
    expect(findingNotification(finding, "n")!.id).toBe(first.id);
    expect(findingNotification({ ...finding, at: finding.at + 3_600_000 }, "n")!.id).not.toBe(first.id);
    expect(findingNotification({ ...finding, finding: { ...finding.finding, level: "warn" } }, "n")).toBeNull();
  });
});

describe("the daemon with maintenance and a notification channel", () => {
  let daemon: RunningDaemon | null = null;
  let receiver: Receiver | null = null;
  afterEach(async () => {
    await daemon?.stop("test");
    await receiver?.close();
    daemon = null;
    receiver = null;
  });

  it("tells a crit finding once while it lasts, and again with a new id when it clears and comes back", async () => {
    receiver = await startReceiver("ok");
    const { root, config } = webhookDaemonConfig("swd-maint-notify-", { url: receiver.url, events: ["maintenance-crit"], retryMax: "1s", extra: ["maintenance:\n  catchUpDelay: 0s\n  timezone: UTC"] });
    const node = createSongNodesNode({ start: Date.now(), seed: 5, initial: "healthy" });
    fillRoot(node, 90);
    const started = await startDaemon({
      configPath: config, stateDir: join(root, "state"), runtimeDir: join(root, "run"), env: {}, logger: memoryLogger(),
      ports: { probes: fakeProbes().probes, actions: fakeActions().actions, runCommand: createRunCommand(), maintenance: createSimMaintenancePorts(node), close: async () => {} },
    });
    if (typeof started === "number") throw new Error(`daemon exited ${started}`);
    daemon = started;
    const control = join(root, "run", "control.sock");
    const told = () => receiver!.requests.map((r) => r.body as NotificationEvent).filter((e) => e.title === "maintenance finding: crit (host-disk)");

    // The catch-up after start runs host-disk: crit, told once.
    await until("the first maintenance-crit notification", () => told().length === 1, 25_000);
    expect(told()[0]).toMatchObject({ kind: "maintenance-crit", severity: "critical" });
    expect(told()[0]!.message).toMatch(/^\/ 95 % used/);

    // Still crit on the next run: the same finding is not told again.
    expect((await runCheck(control, "host-disk")).level).toBe("crit");
    // Clears: a run with the disk emptied.
    fillRoot(node, 40);
    expect((await runCheck(control, "host-disk")).level).toBe("ok");
    // Comes back well within the outbox's 7 days: told again, as a new occurrence.
    fillRoot(node, 93);
    expect((await runCheck(control, "host-disk")).level).toBe("crit");
    await until("the second maintenance-crit notification", () => told().length === 2, 25_000);
    const [first, second] = told() as [NotificationEvent, NotificationEvent];
    // The second is the finding come back (98 %), not the first one said again on the run it lasted.
    expect(second.message).toMatch(/^\/ 98 % used/);
    expect(second.id).not.toBe(first.id);
    expect(receiver.acknowledged.get(first.id)).toBe(1);
    expect(receiver.acknowledged.get(second.id)).toBe(1);
  });
});
