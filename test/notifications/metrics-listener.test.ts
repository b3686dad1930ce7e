// The TCP listener for Prometheus: GET /metrics and nothing else; the outbox's counts among them.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { renderMetrics } from "../../src/status/metrics.js";
import { startMetricsListener, type MetricsListener } from "../../src/status/metrics-listener.js";
import { buildStatusView } from "../../src/status/status-view.js";
import { recordingLogger } from "./rig.js";
import { openJournal } from "../../src/journal/index.js";
import { createFakeSource } from "../status/fake-source.js";

function call(address: string, method: string, path: string): Promise<{ status: number; body: string; type: string | undefined }> {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), Number(address.slice(address.lastIndexOf(":") + 1))];
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, timeout: 5_000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: res.headers["content-type"] }));
    });
    req.on("error", reject);
    req.end();
  });
}

let listener: MetricsListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

describe("the metrics listener for Prometheus", () => {
  it("serves /metrics in the text format, with the notification outbox's queued, delivered, failed and dropped", async () => {
    const now = Date.now();
    const source = createFakeSource(openJournal(":memory:"), { bootId: "b", startedAt: now, now: () => now });
    const snapshot = { ...source.snapshot(now), notifications: { queued: 3, delivered: 7, failed: 2, dropped: 1 } };
    listener = await startMetricsListener({ listen: "127.0.0.1:0", render: () => renderMetrics(buildStatusView(snapshot, now)), logger: recordingLogger() });
    const answer = await call(listener.address, "GET", "/metrics");
    expect(answer.status).toBe(200);
    expect(answer.type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(answer.body).toContain("songnodes_watchdog_notifications_queued 3\n");
    expect(answer.body).toContain("songnodes_watchdog_notifications_delivered_total 7\n");
    expect(answer.body).toContain("songnodes_watchdog_notifications_failed_total 2\n");
    expect(answer.body).toContain("songnodes_watchdog_notifications_dropped_total 1\n");
    expect(answer.body).toContain("# TYPE songnodes_watchdog_notifications_dropped_total counter");
    expect(answer.body).toMatch(/^songnodes_watchdog_phase\{phase="healthy"\} [01]$/m);
  });

  it("is read-only: the status, history and control endpoints are not there, and nothing but GET is allowed", async () => {
    listener = await startMetricsListener({ listen: "127.0.0.1:0", render: () => "x 1\n", logger: recordingLogger() });
    for (const path of ["/v1/status", "/v1/history", "/healthz", "/v1/pause", "/"]) {
      const answer = await call(listener.address, "GET", path);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.body).not.toContain("x 1");
    }
    for (const method of ["POST", "PUT", "DELETE"]) expect((await call(listener.address, method, "/metrics")).status).toBe(405);
  });

  it("a port already in use is an error the daemon can log and carry on from", async () => {
    listener = await startMetricsListener({ listen: "127.0.0.1:0", render: () => "", logger: recordingLogger() });
    await expect(startMetricsListener({ listen: listener.address, render: () => "", logger: recordingLogger() })).rejects.toThrow(/EADDRINUSE/);
  });
});
