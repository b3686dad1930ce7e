// The simplest UnitDriver: a unit whose jobs finish after a fixed delay and always succeed, for
// running the systemd1 stand-in by hand (busctl, the watchdog's `check --dbus-address`) when the
// full k3s model (src/sim/model/) is more than is needed.
import type { UnitProperties } from "../../ports.js";
import type { JobResult, UnitDriver } from "./unit-driver.js";

/** A unit that is active (running) and restarts in `startMs`; `now` is the clock to stamp with. */
export function createStaticUnit(name: string, now: () => number = Date.now, startMs = 500): UnitDriver {
  const at = now();
  let props: UnitProperties = { activeState: "active", subState: "running", result: "success", inactiveExitAt: at, activeEnterAt: at, restarts: 0 };
  const listeners = new Set<() => void>();
  const change = (patch: Partial<UnitProperties>): void => {
    props = { ...props, ...patch };
    for (const listener of [...listeners]) listener();
  };
  const start = async (): Promise<JobResult> => {
    change({ activeState: "activating", subState: "start", inactiveExitAt: now(), activeEnterAt: null });
    await new Promise((resolve) => setTimeout(resolve, startMs));
    change({ activeState: "active", subState: "running", activeEnterAt: now() });
    return "done";
  };
  return {
    name,
    properties: () => ({ ...props }),
    start,
    restart: start,
    async stop() {
      change({ activeState: "inactive", subState: "dead" });
      return "done";
    },
    resetFailed: () => change({ result: "success" }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
