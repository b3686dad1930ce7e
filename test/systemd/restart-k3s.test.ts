// The restart-k3s remedy against the systemd1 stand-in on a real private dbus-daemon.
import { afterEach, describe, expect, it } from "vitest";
import { createRestartK3s } from "../../src/actions/restart-k3s.js";
import { createFakeUnit } from "./fake-unit.js";
import { startHarness, type Harness } from "./harness.js";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const command = (resetFailed: boolean) => ({ kind: "restart-k3s" as const, resetFailed, why: "k3s.service failed" });
const signal = () => AbortSignal.timeout(10_000);

describe("restarting k3s through systemd's D-Bus API", () => {
  it("waits for the job's JobRemoved: when it reports ok, k3s is already active again", async () => {
    const k3s = createFakeUnit("k3s.service", { activeState: "failed", subState: "failed", result: "exit-code" });
    k3s.jobDelayMs = 300;
    harness = await startHarness([k3s]);
    const report = await createRestartK3s({ systemd: harness.systemd, unit: "k3s.service" }).run(command(false), signal());
    expect(report).toEqual({ ok: true, detail: "restarted k3s.service (job done)", touched: ["k3s.service"] });
    // Had the action returned at the RestartUnit reply, the unit would still be activating.
    expect(k3s.properties().activeState).toBe("active");
    expect(k3s.calls).toEqual(["restart"]);
  });

  it("still sees the result when JobRemoved arrives before the RestartUnit reply", async () => {
    const k3s = createFakeUnit("k3s.service");
    k3s.jobDelayMs = 0;
    harness = await startHarness([k3s]);
    harness.served!.standIn.jobRemovedBeforeReply = true;
    const report = await createRestartK3s({ systemd: harness.systemd, unit: "k3s.service" }).run(command(false), signal());
    expect(report.ok).toBe(true);
    expect(report.detail).toBe("restarted k3s.service (job done)");
  });

  it("a failed job after the race is reported as failed, not as done", async () => {
    const k3s = createFakeUnit("k3s.service");
    k3s.jobResult = "failed";
    harness = await startHarness([k3s]);
    harness.served!.standIn.jobRemovedBeforeReply = true;
    const report = await harness.systemd.restartUnit("k3s.service", signal());
    expect(report).toBe("failed");
  });

  it("resets the failed state first when Result is start-limit-hit, then restarts", async () => {
    const k3s = createFakeUnit("k3s.service", { activeState: "failed", subState: "failed", result: "start-limit-hit" });
    harness = await startHarness([k3s]);
    const report = await createRestartK3s({ systemd: harness.systemd, unit: "k3s.service" }).run(command(true), signal());
    expect(k3s.calls).toEqual(["reset-failed", "restart"]);
    expect(report.ok).toBe(true);
    expect(report.detail).toBe("reset-failed first; restarted k3s.service (job done)");
  });

  it("a restart job that fails is ok: false with the job result, and does not throw", async () => {
    const k3s = createFakeUnit("k3s.service");
    k3s.jobResult = "failed";
    harness = await startHarness([k3s]);
    const report = await createRestartK3s({ systemd: harness.systemd, unit: "k3s.service" }).run(command(false), signal());
    expect(report).toEqual({ ok: false, detail: 'restart of k3s.service ended with job result "failed"', touched: ["k3s.service"] });
  });

  it("a unit systemd does not know is ok: false with systemd's error name", async () => {
    harness = await startHarness([createFakeUnit("k3s.service")]);
    const report = await createRestartK3s({ systemd: harness.systemd, unit: "k3s-server.service" }).run(command(false), signal());
    expect(report.ok).toBe(false);
    expect(report.detail).toContain("org.freedesktop.systemd1.NoSuchUnit");
  });

  it("gives up waiting when its signal aborts, reporting ok: false", async () => {
    const k3s = createFakeUnit("k3s.service");
    k3s.jobDelayMs = 5_000;
    harness = await startHarness([k3s]);
    const report = await createRestartK3s({ systemd: harness.systemd, unit: "k3s.service" }).run(command(false), AbortSignal.timeout(300));
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/could not restart k3s.service: .*aborted/);
  });

  it("a bus that goes away while the restart job runs is ok: false at once, not a 10-minute wait", async () => {
    const k3s = createFakeUnit("k3s.service");
    k3s.jobDelayMs = 20_000;
    harness = await startHarness([k3s]);
    const running = createRestartK3s({ systemd: harness.systemd, unit: "k3s.service" }).run(command(false), AbortSignal.timeout(25_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await harness.bus.stop();
    const report = await running;
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/lost track of job \/org\/freedesktop\/systemd1\/job\/1/);
  });
});
