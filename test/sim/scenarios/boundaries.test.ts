// The simulator is exact at the boundaries: the daemon iterates when the real scheduler would,
// remedies take node time while the world goes on, and the model has the shapes real nodes have
// (hundreds of pods, finalizers, a registry that comes back, faults a k3s restart does not clear).
import { describe, expect, test } from "vitest";
import { parseScenario } from "../../../src/sim/scenario/load.js";
import { runScenario } from "../../../src/sim/scenario/runner.js";
import { REMEDY_MS } from "../../../src/sim/ports/sim-actions.js";
import { createDaemonWakeups, DEBOUNCE_MS, WAKE_SLACK_MS } from "../../../src/sim/scenario/daemon-wakeups.js";

const scenario = (over: Record<string, unknown>) =>
  parseScenario({ name: "t", description: "d", runbook: "r", duration: "20m", expect: {}, ...over }, "t.yaml");

describe("the daemon's wake-ups on the virtual clock", () => {
  test("a tick, a hold-off ending before the next tick, and an event each run the loop one debounce later, the scheduler's own", () => {
    const d = DEBOUNCE_MS;
    const wakeups = createDaemonWakeups(0, 5_000);
    expect(wakeups.next()).toBe(d);
    expect(wakeups.fire(d)).toBe(true);
    wakeups.begin();
    wakeups.end(d, 1_000, false);
    expect(wakeups.next()).toBe(1_000 + WAKE_SLACK_MS);
    expect(wakeups.fire(1_000 + WAKE_SLACK_MS)).toBe(false);
    expect(wakeups.next()).toBe(1_000 + WAKE_SLACK_MS + d);
    expect(wakeups.fire(1_000 + WAKE_SLACK_MS + d)).toBe(true);
    wakeups.begin();
    wakeups.wake(1_300);
    wakeups.end(1_400, null, false);
    expect(wakeups.next()).toBe(1_400 + d);
  });
});

describe("a remedy takes node time", () => {
  test("the k3s restart is in flight 10-60 s: the daemon's next iteration comes after it", async () => {
    const iterations: number[] = [];
    const report = await runScenario(scenario({ faults: [{ at: "1m", fault: "k3s-fails-to-start", times: 1000 }], duration: "6m" }), undefined, {
      onIteration: (r) => void iterations.push(r.now),
    });
    const restart = report.calls.find((c) => c.kind === "restart-k3s");
    expect(restart).toBeDefined();
    const next = iterations.find((t) => t > (restart?.at ?? 0)) ?? 0;
    expect(next - (restart?.at ?? 0)).toBeGreaterThanOrEqual(REMEDY_MS["restart-k3s"][0]);
    expect(next - (restart?.at ?? 0)).toBeLessThanOrEqual(REMEDY_MS["restart-k3s"][1] + 1_000);
  });

  test("a daemon restart during a k3s restart leaves the action started and unfinished: the next daemon marks it interrupted", async () => {
    const first = await runScenario(scenario({ faults: [{ at: "1m", fault: "k3s-fails-to-start", times: 1000 }], duration: "4m" }));
    const at = (first.calls.find((c) => c.kind === "restart-k3s")?.at ?? 0) - Date.parse("2025-11-14T10:30:00Z");
    expect(at).toBeGreaterThan(0);
    let interrupted = -1;
    const report = await runScenario(scenario({
      faults: [{ at: "1m", fault: "k3s-fails-to-start", times: 1000 }], duration: "4m",
      operator: [{ at: `${Math.round(at / 1000) + 5}s`, restartDaemon: true }],
    }), undefined, { onEnd: (run) => void (interrupted = run.journal.actionCounts().filter((c) => c.outcome === "interrupted").reduce((n, c) => n + c.count, 0)) });
    expect(report.timeline.some((e) => e.kind === "daemon" && e.text.includes("with a remedy in flight"))).toBe(true);
    expect(interrupted).toBe(1);
  });
});

describe("the model's new shapes", () => {
  test("pods: 300 fills the namespace with pods the kubelet drives, so pods-unknown leaves hundreds Unknown", async () => {
    let unknown = 0;
    // The daemon's Unknown hold-off is pushed past the end: this is about the model, not the daemon.
    await runScenario(scenario({ pods: 300, duration: "3m", config: { timing: { unknownPodHoldOff: "10m" } }, faults: [{ at: "1m", fault: "pods-unknown" }] }), undefined, {
      onEnd: (run) => void (unknown = run.node.store.list("pods", run.node.namespace).items.filter((p) => (p as { status?: { containerStatuses?: { state?: { terminated?: { reason?: string } } }[] } }).status?.containerStatuses?.[0]?.state?.terminated?.reason === "Unknown").length),
    });
    expect(unknown).toBeGreaterThanOrEqual(280);
  });

  test("a finalizer keeps a force-deleted pod in place, Terminating", async () => {
    let left: string[] = [];
    await runScenario(scenario({ duration: "1m", faults: [{ at: "10s", fault: "pods-stuck-terminating", workloads: ["frontend"], finalizer: "example.test/hold" }] }), undefined, {
      onEnd: (run) => {
        const pod = run.node.store.list("pods", run.node.namespace).items.find((p) => p.metadata.name.startsWith("frontend") && p.metadata.deletionTimestamp);
        run.node.store.requestDelete("pods", run.node.namespace, pod?.metadata.name ?? "", { gracePeriodSeconds: 0 });
        left = (run.node.store.get("pods", run.node.namespace, pod?.metadata.name ?? "")?.metadata.finalizers as string[]) ?? [];
      },
    });
    expect(left).toEqual(["example.test/hold"]);
  });

  test("a registry with recoversAfter comes back by itself; one without does not", async () => {
    const paused = { operator: [{ at: "0s", pause: "1h", reason: "hands off" }], duration: "5m" };
    let up: boolean[] = [];
    for (const recoversAfter of ["2m", undefined]) {
      await runScenario(scenario({ ...paused, faults: [{ at: "1m", fault: "registry-down", ...(recoversAfter ? { recoversAfter } : {}) }] }), undefined, { onEnd: (run) => void up.push(run.node.registry.apiUp()) });
    }
    expect(up).toEqual([true, false]);
  });

  test("an api-500 that survives restarts is still there after k3s restarted", async () => {
    const answers: string[] = [];
    for (const survivesRestart of [true, false]) {
      await runScenario(scenario({ duration: "3m", operator: [{ at: "0s", pause: "1h", reason: "hands off" }], faults: [{ at: "30s", fault: "api-500", survivesRestart }, { at: "1m", fault: "k3s-killed" }] }), undefined, {
        onEnd: (run) => void answers.push(run.node.runtime.apiAnswer()),
      });
    }
    expect(answers).toEqual(["500", "ok"]);
  });

  test("a CronJob's pod pulls its :latest image from the local registry, so a registry down at :17 leaves it ErrImagePull", async () => {
    let waiting = "";
    await runScenario(scenario({ startAt: "2025-11-14T10:10:00Z", duration: "9m", operator: [{ at: "0s", pause: "1h", reason: "hands off" }], faults: [{ at: "1m", fault: "registry-down" }] }), undefined, {
      onEnd: (run) => {
        const pod = run.node.store.list("pods", run.node.namespace).items.find((p) => p.metadata.name.startsWith("gold-to-operational"));
        waiting = (pod as { status?: { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } } | undefined)?.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? "none";
      },
    });
    expect(["ErrImagePull", "ImagePullBackOff"]).toContain(waiting);
  });

  test("a CronJob whose pulls fail does not pile up pods: a Job past its deadline fails and its pod goes", async () => {
    let waiting = 0;
    await runScenario(scenario({ duration: "6h", operator: [{ at: "0s", pause: "7h", reason: "hands off" }], faults: [{ at: "1m", fault: "registry-down", fixedByRestart: false }] }), undefined, {
      onEnd: (run) => void (waiting = run.node.store.list("pods", run.node.namespace).items.filter((p) => p.metadata.name.startsWith("gold-to-operational") && !p.metadata.deletionTimestamp && (p as { status?: { phase?: string } }).status?.phase === "Pending").length),
    });
    // Hourly, with a one-hour deadline: at most the current Job's pod and one not yet cleaned up.
    expect(waiting).toBeGreaterThanOrEqual(1);
    expect(waiting).toBeLessThanOrEqual(2);
  });
});
