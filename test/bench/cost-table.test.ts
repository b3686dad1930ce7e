// The cost table from literal results (a row per pod count, targets, growth) and the NOTIFY_SOCKET
// receiver the start-up time is read from, fed by the real systemd-notify.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startNotifyReceiver } from "../../bench/cost/notify-receiver.js";
import type { ProcessCost } from "../../bench/cost/real-daemon.js";
import { formatCostTable } from "../../bench/cost/table.js";

const requests = (readyz: number) => ({ list: 0, watch: 0, get: 0, readyz, delete: 0, other: 0, total: readyz });
const row = (pods: number, cpuMsPerMin: number, peakRssMB: number): ProcessCost => ({
  pods, readyMs: 520, startupCpuMs: 600, healthyMs: 61_000, windowMs: 45_000, cpuMsPerMin, cpuPercentOfCore: cpuMsPerMin / 600,
  childCpuMsPerMin: 30, peakRssMB, rssMB: peakRssMB - 30, apiPerMin: requests(12), iterations: 9, cpuPerIterationMs: cpuMsPerMin / 12,
  journalBytesInWindow: 0, journalBytesPerDayIdle: 0, phaseAtEnd: "healthy",
});
const evaluation = [50, 500, 5000].map((pods) => ({ pods, medianMs: pods / 400, p95Ms: pods / 200, runs: 40 }));
const growth = { bytesPerDay: 2_400_000, startBytes: 0, endBytes: 0, day: "one eventful day", wallMs: 0 };

describe("the cost table", () => {
  it("has a row per pod count with each figure, the targets, and the growth from the first count to the last", () => {
    const text = formatCostTable(evaluation, growth, [row(50, 150, 152), row(500, 160, 160), row(5000, 240, 207)]);
    const lines = text.split("\n");
    const fifty = lines.find((line) => /^\s+50\s/.test(line))!;
    expect(fifty).toContain("0.52 s");
    expect(fifty).toContain("0.25%");
    expect(fifty).toContain("152 MB");
    expect(fifty).toContain("12.0");
    expect(lines.find((line) => line.trimStart().startsWith("target"))).toContain("< 100 MB");
    expect(text).toMatch(/growth 50 → 5000 pods \(×100\): .*idle CPU ×1\.6.*peak RSS ×1\.4/);
    expect(text).toContain("eval (in-proc)");
    expect(text).toMatch(/readyz 12\.0/);
  });

  it("a pod count that could not be measured says why in its row; the others stay", () => {
    const text = formatCostTable(evaluation, growth, [row(50, 150, 152), { pods: 500, error: "no READY=1: not printed within 30000 ms\nmore" }, row(5000, 240, 207)]);
    expect(text).toMatch(/^\s+500 failed: no READY=1: not printed within 30000 ms$/m);
    expect(text).not.toContain("more");
    expect(text).toMatch(/^\s+5000\s+0\.52 s/m);
  });
});

describe.skipIf(!existsSync("/usr/bin/systemd-notify"))("the NOTIFY_SOCKET receiver", () => {
  it("times READY=1 from the real systemd-notify", async () => {
    const dir = mkdtempSync(join(tmpdir(), "songnodes-cost-notify-"));
    const receiver = await startNotifyReceiver(dir);
    try {
      const sentAt = Date.now();
      await new Promise<void>((resolve, reject) =>
        execFile("/usr/bin/systemd-notify", ["--no-block", "--ready", "--status=starting"], { env: { ...process.env, NOTIFY_SOCKET: receiver.path }, timeout: 10_000 }, (error) => (error ? reject(error) : resolve())));
      const ready = await receiver.ready(10_000);
      expect(ready.text.split("\n")).toContain("READY=1");
      expect(ready.at).toBeGreaterThanOrEqual(sentAt - 50);
    } finally {
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
