// A hand-written in-memory UnitDriver: a unit whose jobs take `jobDelayMs` and end with `jobResult`,
// and which records every call so tests can check the order (reset-failed before restart).
import type { UnitProperties } from "../../src/ports.js";
import type { JobResult, UnitDriver } from "../../src/sim/systemd1/unit-driver.js";

export interface FakeUnit extends UnitDriver {
  /** "start", "stop", "restart", "reset-failed", in the order they came. */
  readonly calls: string[];
  /** How the next jobs end. */
  jobResult: JobResult;
  jobDelayMs: number;
  /** Changes properties and tells the listeners, as a state change in systemd would. */
  set(patch: Partial<UnitProperties>): void;
}

/** A unit that starts out as given (active (running) by default). */
export function createFakeUnit(name: string, initial: Partial<UnitProperties> = {}): FakeUnit {
  let props: UnitProperties = {
    activeState: "active",
    subState: "running",
    result: "success",
    inactiveExitAt: 1_700_000_000_000,
    activeEnterAt: 1_700_000_030_000,
    restarts: 0,
    ...initial,
  };
  const listeners = new Set<() => void>();
  const calls: string[] = [];

  const unit: FakeUnit = {
    name,
    calls,
    jobResult: "done",
    jobDelayMs: 50,
    properties: () => ({ ...props }),
    set(patch) {
      props = { ...props, ...patch };
      for (const listener of [...listeners]) listener();
    },
    start: () => job("start", true),
    restart: () => job("restart", true),
    stop: async () => {
      calls.push("stop");
      unit.set({ activeState: "inactive", subState: "dead" });
      return "done";
    },
    resetFailed() {
      calls.push("reset-failed");
      unit.set({ result: "success", ...(props.activeState === "failed" ? { activeState: "inactive", subState: "dead" } : {}) });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  async function job(kind: string, starting: boolean): Promise<JobResult> {
    calls.push(kind);
    if (starting) unit.set({ activeState: "activating", subState: "start", inactiveExitAt: Date.now(), activeEnterAt: null });
    await new Promise((resolve) => setTimeout(resolve, unit.jobDelayMs));
    const result = unit.jobResult;
    if (result === "done") unit.set({ activeState: "active", subState: "running", activeEnterAt: Date.now() });
    else unit.set({ activeState: "failed", subState: "failed", result: "exit-code" });
    return result;
  }

  return unit;
}
