// Connects to a (private) bus and serves the systemd1 stand-in there: what the simulator and the
// tests run, and what must be run again after the bus restarts.
import * as dbus from "dbus-next";
import { shutBus } from "../../systemd/dbus-session.js";
import { exportSystemd1, type Systemd1StandIn } from "./stand-in.js";
import type { UnitDriver } from "./unit-driver.js";

/** A served stand-in and the connection it owns. */
export interface ServedSystemd1 {
  standIn: Systemd1StandIn;
  close(): Promise<void>;
}

/** Rejects after `ms`; dbus-next calls on a dead bus never settle by themselves. */
function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Connects to `address` within `timeoutMs` and exports the stand-in with `units`. */
export async function serveSystemd1(address: string, units: UnitDriver[], timeoutMs = 5_000): Promise<ServedSystemd1> {
  const bus = dbus.sessionBus({ busAddress: address });
  // Without a listener an 'error' event (the bus going away) would crash the simulator.
  const failed = new Promise<never>((_, reject) => bus.on("error", (error: unknown) => reject(error)));
  failed.catch(() => undefined);
  try {
    const connected = new Promise<void>((resolve) => bus.once("connect", () => resolve()));
    const standIn = await deadline(
      Promise.race([connected.then(() => exportSystemd1(bus, units)), failed]),
      timeoutMs,
      `serving systemd1 on ${address}`,
    );
    return {
      standIn,
      async close() {
        await deadline(standIn.close(), 1_000, "closing the systemd1 stand-in").catch(() => undefined);
        shutBus(bus);
      },
    };
  } catch (error) {
    shutBus(bus);
    throw new Error(`cannot serve systemd1 on ${address}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
