// The daemon started with `metrics.listen`: its TCP listener on the loopback serves /metrics with
// the outbox's real counters, and nothing else (no status body, no history, no control).
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type RunningDaemon } from "../../src/daemon/daemon.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import { openJournal } from "../../src/journal/index.js";
import { createOutbox } from "../../src/notifications/outbox.js";
import { JOURNAL_FILE } from "../../src/daemon/journal-at-start.js";
import { fakeActions, fakeProbes, memoryLogger } from "../daemon/fakes.js";
import { anEvent, webhookDaemonConfig } from "./rig.js";
import { startReceiver, type Receiver } from "./receiver.js";

function call(address: string, method: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(`http://${address}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), method, path, timeout: 5_000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

let daemon: RunningDaemon | null = null;
let receiver: Receiver | null = null;
afterEach(async () => {
  await daemon?.stop("test");
  await receiver?.close();
  daemon = null;
  receiver = null;
});

describe("the daemon with metrics.listen set", () => {
  it("serves /metrics on the loopback with the outbox's queued, delivered, failed and dropped, and refuses every other path", async () => {
    receiver = await startReceiver("fail-500");
    const { root, config } = webhookDaemonConfig("swd-daemon-metrics-", { url: receiver.url, events: ["gave-up"], retryMax: "200ms", extra: ['metrics:\n  listen: "127.0.0.1:0"'] });
    // Only gave-up: a new journal on a machine up for over an hour counts the budgets as spent
    // and may say so (budget-low), which is not what this test counts.
    // An outbox left by an earlier run: one delivery for "hook" (it fails, then goes through) and one
    // for a channel since removed from the config (dropped at start): every counter has work to show.
    const state = join(root, "state");
    mkdirSync(state);
    openJournal(join(state, JOURNAL_FILE)).close();
    const db = new Database(join(state, JOURNAL_FILE));
    createOutbox(db).enqueue(anEvent("gave-up", "gave-up:k3s-down:1"), ["hook", "removed"], 1000);
    db.close();
    const logger = memoryLogger();
    const started = await startDaemon({
      configPath: config, stateDir: state, runtimeDir: join(root, "run"), env: {}, logger,
      ports: { probes: fakeProbes().probes, actions: fakeActions().actions, runCommand: createRunCommand(), close: async () => {} },
    });
    if (typeof started === "number") throw new Error(`daemon exited ${started}`);
    daemon = started;
    // Port 0 was asked: the daemon says which one it bound.
    const said = logger.lines.map((l) => /^metrics for Prometheus on http:\/\/(127\.0\.0\.1:\d+)\/metrics$/.exec(l.message)?.[1]).find(Boolean);
    expect(said).toBeDefined();
    const address = said!;
    expect(address).not.toBe("127.0.0.1:0");

    // Scraped while the receiver refuses: the delivery waits, its failed attempts counted.
    const scrape = async (want: RegExp) => {
      let metrics = await call(address, "GET", "/metrics");
      for (const deadline = Date.now() + 20_000; !want.test(metrics.body) && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        metrics = await call(address, "GET", "/metrics");
      }
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatch(want);
      return metrics.body;
    };
    const failing = await scrape(/^songnodes_watchdog_notifications_failed_total [1-9]\d*$/m);
    expect(failing).toMatch(/^songnodes_watchdog_notifications_queued 1$/m);
    expect(failing).toMatch(/^songnodes_watchdog_notifications_delivered_total 0$/m);
    expect(failing).toMatch(/^songnodes_watchdog_notifications_dropped_total 1$/m);
    receiver.behaviour = "ok";
    const delivered = await scrape(/^songnodes_watchdog_notifications_delivered_total 1$/m);
    expect(delivered).toMatch(/^songnodes_watchdog_notifications_queued 0$/m);
    expect(delivered).toMatch(/^songnodes_watchdog_notifications_dropped_total 1$/m);
    expect(delivered).toMatch(/^songnodes_watchdog_phase\{phase="[a-z0-9-]+"\} 1$/m);
    expect(receiver.acknowledged.size).toBe(1);

    // Read-only: the unix sockets' status, history and control endpoints are not served here.
    for (const [method, path] of [["GET", "/v1/status"], ["GET", "/v1/history"], ["GET", "/v1/boots"], ["GET", "/healthz"], ["GET", "/"], ["POST", "/v1/pause"], ["POST", "/v1/resume"], ["POST", "/v1/check-now"], ["POST", "/v1/maintenance/run"]] as const) {
      const answer = await call(address, method, path);
      expect([method, path, answer.status]).toEqual([method, path, 404]);
      expect(answer.body).not.toContain("songnodes_watchdog_");
      expect(answer.body).not.toContain("{");
    }
    expect((await call(address, "POST", "/metrics")).status).toBe(405);
    expect(daemon.loop.state().pause).toBeNull();
  });
});
