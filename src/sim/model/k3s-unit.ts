// The k3s.service unit as systemd runs it: Type=notify, Restart=always, RestartSec=5s and no start
// limit (k3s's install script writes exactly that). A failing k3s therefore cycles
// activating (start) → failed, briefly → activating (auto-restart) → activating (start) … and never
// settles in `failed` unless a start limit is hit. Timestamps follow systemd: InactiveExitTimestamp
// is when the unit last left inactive/failed (entering auto-restart, RestartSec before the next
// process starts), ExecMainStartTimestamp when an attempt's process started, NRestarts counts
// automatic restarts only; every stamp also on CLOCK_MONOTONIC (the node's wall clock may jump).
// Under RestartMode=direct (systemd ≥ 254) a failed process goes straight to auto-restart: no
// failed state, and InactiveExitTimestamp is not stamped again.
import type { UnitProperties } from "../../ports.js";
import type { JobResult, UnitDriver } from "../systemd1/unit-driver.js";
import type { Scheduler, TimerId } from "./scheduler.js";

/** How one start attempt of the main process goes; the node model decides from its faults. */
export type StartPlan =
  | { kind: "ready"; afterMs: number }
  | { kind: "fail"; afterMs: number; result: "exit-code" | "signal" | "timeout" | "core-dump" };

/** What the node model hears from the unit and decides for it. */
export interface K3sProcessHooks {
  planStart(): StartPlan;
  /** The main process sent READY=1: containerd, the API server and the kubelet come up from here. */
  started(): void;
  /** The main process is gone (stopped by systemd, crashed, or a failed attempt). */
  exited(how: "stopped" | "crashed"): void;
  /** Whether a failure now hits the start limit (a `start-limit` fault). */
  startLimitHit(): boolean;
  /** The Result it leaves: start-limit-hit, or start-limit as systemd before v230 wrote it. */
  startLimitResult?(): string;
}

/** systemd's RestartSec for k3s. */
export const RESTART_SEC_MS = 5_000;
/** systemd's default StartLimitIntervalSec: a start refused for start-limit-hit works again after it. */
const START_LIMIT_INTERVAL_MS = 10_000;
// How long "failed, briefly" lasts before auto-restart, and how long k3s takes to stop.
const FAILED_BRIEFLY_MS = 100;
const STOP_MS = 2_000;

/** The node's two clocks: wall (may jump, as an NTP step does) and monotonic (ms since boot). */
export interface NodeClocks {
  wall(): number;
  monotonic(): number;
}

/** How the unit restarts: systemd's default, or RestartMode=direct. */
export type RestartMode = "normal" | "direct";

/** The simulated unit, plus `crash()` for faults that kill a running k3s. */
export interface K3sUnit extends UnitDriver {
  crash(result: "exit-code" | "signal"): void;
  isRunning(): boolean;
  /** Power loss: everything gone at once, and a fresh systemd (NRestarts 0) on the next boot. */
  powerOff(): void;
}

/** Create the k3s unit over the node's scheduler; it starts inactive/dead. */
export function createK3sUnit(
  scheduler: Scheduler,
  hooks: K3sProcessHooks,
  name = "k3s.service",
  clocks: NodeClocks = { wall: () => scheduler.now(), monotonic: () => scheduler.now() },
  restartMode: RestartMode = "normal",
): K3sUnit {
  const props: UnitProperties = {
    activeState: "inactive", subState: "dead", result: "success",
    inactiveExitAt: null, activeEnterAt: null, restarts: 0,
    execMainStartAt: null, inactiveExitMono: null, activeEnterMono: null, execMainStartMono: null,
  };
  const listeners = new Set<() => void>();
  let startWaiters: ((result: JobResult) => void)[] = [];
  let stopWaiters: ((result: JobResult) => void)[] = [];
  let pending: TimerId | null = null;
  let limitHitAt = -Infinity;

  const set = (patch: Partial<UnitProperties>): void => {
    Object.assign(props, patch);
    for (const listener of [...listeners]) listener();
  };
  const settleStart = (result: JobResult): void => {
    const waiters = startWaiters;
    startWaiters = [];
    for (const resolve of waiters) resolve(result);
  };
  const settleStop = (): void => {
    const waiters = stopWaiters;
    stopWaiters = [];
    for (const resolve of waiters) resolve("done");
  };
  const clearPending = (): void => {
    if (pending !== null) scheduler.cancel(pending);
    pending = null;
  };

  const attempt = (): void => {
    set({ activeState: "activating", subState: "start", execMainStartAt: clocks.wall(), execMainStartMono: clocks.monotonic() });
    const plan = hooks.planStart();
    pending = scheduler.after(plan.afterMs, () => {
      pending = null;
      if (plan.kind === "ready") {
        set({ activeState: "active", subState: "running", result: "success", activeEnterAt: clocks.wall(), activeEnterMono: clocks.monotonic() });
        hooks.started();
        settleStart("done");
      } else {
        hooks.exited("crashed");
        fail(plan.result);
        settleStart("failed");
      }
    });
  };
  const leaveInactive = (): void => set({ inactiveExitAt: clocks.wall(), inactiveExitMono: clocks.monotonic() });

  // A dead main process: failed briefly, then auto-restart after RestartSec (Restart=always).
  const fail = (result: string): void => {
    if (hooks.startLimitHit()) {
      limitHitAt = scheduler.now();
      set({ activeState: "failed", subState: "failed", result: hooks.startLimitResult?.() ?? "start-limit-hit" });
      return;
    }
    if (restartMode === "direct") {
      // Straight to auto-restart: never failed, never inactive, so InactiveExitTimestamp stays old.
      set({ activeState: "activating", subState: "auto-restart", result });
      pending = scheduler.after(RESTART_SEC_MS, () => {
        pending = null;
        set({ restarts: (props.restarts ?? 0) + 1 });
        attempt();
      });
      return;
    }
    set({ activeState: "failed", subState: "failed", result });
    pending = scheduler.after(FAILED_BRIEFLY_MS, () => {
      leaveInactive();
      set({ activeState: "activating", subState: "auto-restart" });
      pending = scheduler.after(RESTART_SEC_MS - FAILED_BRIEFLY_MS, () => {
        pending = null;
        set({ restarts: (props.restarts ?? 0) + 1 });
        attempt();
      });
    });
  };

  const start = (): Promise<JobResult> => {
    if (props.activeState === "active") return Promise.resolve("done");
    // "start request repeated too quickly": refused within the rate-limit interval.
    if ((props.result === "start-limit-hit" || props.result === "start-limit") && props.activeState === "failed" && scheduler.now() - limitHitAt < START_LIMIT_INTERVAL_MS) {
      return Promise.resolve("failed");
    }
    const job = new Promise<JobResult>((resolve) => startWaiters.push(resolve));
    if (props.activeState === "activating" && props.subState === "start") return job;
    clearPending();
    if (props.activeState === "deactivating") {
      // systemd queues the start behind the stop; the stop's completion launches it.
      stopWaiters.push(() => start());
      return job;
    }
    // systemd flushes NRestarts on a start it was asked for (flush_n_restarts), not on its own restarts.
    set({ restarts: 0 });
    leaveInactive();
    attempt();
    return job;
  };

  const stop = (): Promise<JobResult> => {
    if (props.activeState === "inactive" || (props.activeState === "failed" && pending === null)) {
      return Promise.resolve("done");
    }
    const job = new Promise<JobResult>((resolve) => stopWaiters.push(resolve));
    if (props.activeState === "deactivating") return job;
    const wasRunning = props.activeState === "active" || props.subState === "start";
    clearPending();
    settleStart("canceled");
    set({ activeState: "deactivating", subState: "stop-sigterm" });
    pending = scheduler.after(STOP_MS, () => {
      pending = null;
      if (wasRunning) hooks.exited("stopped");
      set({ activeState: "inactive", subState: "dead", result: "success" });
      settleStop();
    });
    return job;
  };

  return {
    name,
    properties: () => ({ ...props }),
    start,
    stop,
    restart() {
      // The start is launched the moment the stop completes, inside the same transition.
      if (props.activeState === "inactive" || (props.activeState === "failed" && pending === null)) return start();
      return new Promise<JobResult>((resolve) => {
        void stop();
        stopWaiters.push(() => void start().then(resolve));
      });
    },
    resetFailed() {
      if (props.activeState === "failed") clearPending();
      set({ result: "success", ...(props.activeState === "failed" ? { activeState: "inactive", subState: "dead" } : {}) });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    crash(result) {
      if (props.activeState !== "active") return;
      hooks.exited("crashed");
      fail(result);
    },
    isRunning: () => props.activeState === "active",
    powerOff() {
      const wasUp = props.activeState === "active" || props.subState === "start";
      clearPending();
      settleStart("canceled");
      settleStop();
      if (wasUp) hooks.exited("stopped");
      set({
        activeState: "inactive", subState: "dead", result: "success", inactiveExitAt: null, activeEnterAt: null, restarts: 0,
        execMainStartAt: null, inactiveExitMono: null, activeEnterMono: null, execMainStartMono: null,
      });
    },
  };
}
