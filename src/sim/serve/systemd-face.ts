// systemd's D-Bus face of the served node: a private dbus-daemon with the systemd1 stand-in
// exporting the k3s unit. The systemd-unreachable fault stops the bus (the daemon's calls fail,
// its probe says unknown); when the fault ends the same address comes back, as after a dbus restart.
import { mkdirSync } from "node:fs";
import { startPrivateBus, type PrivateBus } from "../systemd1/private-bus.js";
import { serveSystemd1, type ServedSystemd1 } from "../systemd1/serve.js";
import type { UnitDriver } from "../systemd1/unit-driver.js";

/** The bus and the stand-in on it. */
export interface SystemdFace {
  readonly address: string;
  readonly busPid: () => number | undefined;
  /** Bring the bus down or back to match `reachable`. */
  follow(reachable: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Start a private bus in `dir` and serve `unit` (and any `others`) on it. */
export async function startSystemdFace(dir: string, unit: UnitDriver, others: UnitDriver[] = []): Promise<SystemdFace> {
  mkdirSync(dir, { recursive: true });
  const bus: PrivateBus = await startPrivateBus(dir);
  let served: ServedSystemd1 | null = null;
  try {
    served = await serveSystemd1(bus.address, [unit, ...others]);
  } catch (error) {
    await bus.stop();
    throw error;
  }
  let up = true;
  let queue: Promise<void> = Promise.resolve();

  const apply = async (reachable: boolean): Promise<void> => {
    if (reachable === up) return;
    up = reachable;
    if (!reachable) {
      await served?.close();
      served = null;
      await bus.stop();
      return;
    }
    await bus.restart();
    served = await serveSystemd1(bus.address, [unit, ...others]);
  };

  return {
    address: bus.address,
    busPid: () => bus.pid,
    follow(reachable) {
      queue = queue.then(() => apply(reachable)).catch(() => undefined);
      return queue;
    },
    async close() {
      await queue;
      await served?.close();
      served = null;
      await bus.stop();
    },
  };
}
