// A real private dbus-daemon with the systemd1 stand-in on it and a real D-Bus client, torn down
// completely (client, stand-in connection, daemon, temp dir) by `close()`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger, Systemd } from "../../src/ports.js";
import { startPrivateBus, type PrivateBus } from "../../src/sim/systemd1/private-bus.js";
import { serveSystemd1, type ServedSystemd1 } from "../../src/sim/systemd1/serve.js";
import type { UnitDriver } from "../../src/sim/systemd1/unit-driver.js";
import { createDbusSystemd } from "../../src/systemd/dbus-systemd.js";

export interface Harness {
  bus: PrivateBus;
  served: ServedSystemd1 | null;
  systemd: Systemd;
  logs: string[];
  /** Serves the stand-in again (after bus.restart()). */
  serve(): Promise<void>;
  close(): Promise<void>;
}

/** A logger that keeps lines for assertions instead of printing. */
export function memoryLogger(lines: string[]): Logger {
  const keep = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { debug: keep("debug"), info: keep("info"), warn: keep("warn"), error: keep("error") };
}

/** Starts bus, stand-in and client; `callTimeoutMs` short so a dead bus shows quickly. */
export async function startHarness(units: UnitDriver[], callTimeoutMs = 1_000): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "watchdog-dbus-"));
  let bus: PrivateBus;
  try {
    bus = await startPrivateBus(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const logs: string[] = [];
  const systemd = createDbusSystemd({
    address: bus.address,
    logger: memoryLogger(logs),
    callTimeoutMs,
    jobTimeoutMs: 10_000,
    reconnectDelayMs: 50,
    maxReconnectDelayMs: 200,
  });
  let served: ServedSystemd1;
  try {
    served = await serveSystemd1(bus.address, units);
  } catch (error) {
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const harness: Harness = {
    bus,
    served,
    systemd,
    logs,
    async serve() {
      await harness.served?.close();
      harness.served = await serveSystemd1(bus.address, units);
    },
    async close() {
      await systemd.close();
      await harness.served?.close();
      await bus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs` with `what`. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
