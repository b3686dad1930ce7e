// The real Systemd port: systemd's Manager and Unit API over D-Bus with dbus-next. One connection,
// opened on first use and again after the bus went away (dbus-daemon restarted, systemd
// re-executed); unit watchers survive that: they reconnect in the background with backoff.
import type { Message as DbusMessage } from "dbus-next";
import type { Logger, Systemd, UnitProperties } from "../ports.js";
import { createJobTracker, type JobTracker } from "./dbus-jobs.js";
import {
  MANAGER_INTERFACE,
  MANAGER_PATH,
  NO_SUCH_UNIT,
  PROPERTIES_INTERFACE,
  SERVICE_INTERFACE,
  SYSTEMD_SERVICE,
  UNIT_INTERFACE,
  unitObjectPath,
} from "./dbus-names.js";
import { describeBus, errorText, openBusSession, raceTimeout, type BusSession } from "./dbus-session.js";
import { toUnitProperties, type PropertyMap } from "./dbus-unit-properties.js";
import { createUnitWatchers } from "./dbus-unit-watchers.js";

export interface DbusSystemdOptions {
  /** null or absent: the system bus; otherwise a D-Bus address (the simulator's private bus). */
  address?: string | null;
  logger: Logger;
  /** Timeout of each D-Bus call and of connecting. */
  callTimeoutMs: number;
  /** Backstop for waiting on a job's JobRemoved when the caller's signal never aborts. */
  jobTimeoutMs?: number;
  /** First delay before a watcher reconnects; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

interface Connection {
  session: BusSession;
  jobs: JobTracker;
}

/** Builds the Systemd port on the system bus (or `address`); connects lazily, never at construction. */
export function createDbusSystemd(options: DbusSystemdOptions): Systemd {
  const address = options.address ?? null;
  const { logger, callTimeoutMs } = options;
  const jobTimeoutMs = options.jobTimeoutMs ?? 10 * 60_000;
  let current: Connection | null = null;
  let opening: Promise<Connection> | null = null;
  let closed = false;

  const watchers = createUnitWatchers({
    logger,
    reconnectDelayMs: options.reconnectDelayMs ?? 1_000,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 30_000,
    connect: async () => {
      await connection(AbortSignal.timeout(callTimeoutMs * 4));
    },
    addMatch: async (unitPath) => {
      if (current) await addMatch(current.session, propertiesChangedRule(unitPath));
    },
  });

  async function addMatch(session: BusSession, rule: string): Promise<void> {
    await session.call(
      { destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus", member: "AddMatch", signature: "s", body: [rule] },
      AbortSignal.timeout(callTimeoutMs),
    );
  }

  async function open(): Promise<Connection> {
    const session = await openBusSession(address, callTimeoutMs, AbortSignal.timeout(callTimeoutMs));
    const jobs = createJobTracker();
    session.onSignal((message) => dispatch(message, jobs));
    session.onLost((why) => {
      jobs.failAll(why);
      if (current?.session === session) current = null;
      if (!closed) {
        logger.warn(`lost the connection to systemd on ${describeBus(address)}: ${why}`);
        watchers.lost(why);
      }
    });
    try {
      // Match rules and Subscribe before any job is queued, or an early JobRemoved is missed.
      await addMatch(session, `type='signal',sender='${SYSTEMD_SERVICE}',path='${MANAGER_PATH}',interface='${MANAGER_INTERFACE}',member='JobRemoved'`);
      for (const unitPath of watchers.paths()) await addMatch(session, propertiesChangedRule(unitPath));
      // systemd sends no job or unit signals at all to a bus until some client subscribed.
      await session.call(managerCall("Subscribe", "", []), AbortSignal.timeout(callTimeoutMs)).catch((error: unknown) => {
        if (!errorText(error).includes("AlreadySubscribed")) throw error;
      });
    } catch (error) {
      session.close();
      throw new Error(`cannot reach systemd on ${describeBus(address)}: ${errorText(error)}`);
    }
    logger.info(`connected to systemd on ${describeBus(address)}`);
    return { session, jobs };
  }

  function dispatch(message: DbusMessage, jobs: JobTracker): void {
    if (message.interface === MANAGER_INTERFACE && message.member === "JobRemoved") {
      const [, job, , result] = message.body as [number, string, string, string];
      jobs.removed(job, result);
    } else if (message.interface === PROPERTIES_INTERFACE && message.member === "PropertiesChanged") {
      watchers.changed(message.path);
    }
  }

  /** The live connection, opening one (shared by concurrent callers) when there is none. */
  async function connection(signal: AbortSignal): Promise<Connection> {
    if (closed) throw new Error("the systemd client is closed");
    if (current?.session.alive) return current;
    if (!opening) {
      opening = open()
        .then((made) => (current = made))
        .finally(() => (opening = null));
    }
    return raceTimeout(opening, signal, callTimeoutMs * 4, `connecting to ${describeBus(address)}`);
  }

  async function call(member: string, signature: string, body: unknown[], signal: AbortSignal): Promise<DbusMessage> {
    const { session } = await connection(signal);
    return session.call(managerCall(member, signature, body), signal);
  }

  async function unitPath(unit: string, signal: AbortSignal): Promise<string> {
    try {
      return (await call("GetUnit", "s", [unit], signal)).body[0] as string;
    } catch (error) {
      // An inactive unit nothing refers to can be unloaded: LoadUnit brings it back.
      if (!errorText(error).startsWith(NO_SUCH_UNIT)) throw error;
      return (await call("LoadUnit", "s", [unit], signal)).body[0] as string;
    }
  }

  async function getAll(path: string, iface: string, signal: AbortSignal): Promise<PropertyMap> {
    const { session } = await connection(signal);
    const reply = await session.call(
      { destination: SYSTEMD_SERVICE, path, interface: PROPERTIES_INTERFACE, member: "GetAll", signature: "s", body: [iface] },
      signal,
    );
    return reply.body[0] as PropertyMap;
  }

  async function runJob(member: string, unit: string, signal: AbortSignal): Promise<string> {
    const { jobs } = await connection(signal);
    const reply = await call(member, "ss", [unit, "replace"], signal);
    return jobs.wait(reply.body[0] as string, signal, jobTimeoutMs);
  }

  /** Every failure gets the call and unit in front, so a probe's reason reads on its own. */
  async function described<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const text = errorText(error);
      throw new Error(text.startsWith("cannot reach systemd") ? text : `${what}: ${text}`);
    }
  }

  return {
    unitProperties: (unit, signal) =>
      described(`cannot read ${unit} from systemd`, async (): Promise<UnitProperties> => {
        const path = await unitPath(unit, signal);
        const [unitMap, serviceMap] = await Promise.all([getAll(path, UNIT_INTERFACE, signal), getAll(path, SERVICE_INTERFACE, signal)]);
        if (unitMap["LoadState"]?.value === "not-found") throw new Error(`${unit} is not installed (LoadState not-found)`);
        return toUnitProperties(unitMap, serviceMap);
      }),
    startUnit: (unit, signal) => described(`StartUnit(${unit}) failed`, () => runJob("StartUnit", unit, signal)),
    stopUnit: (unit, signal) => described(`StopUnit(${unit}) failed`, () => runJob("StopUnit", unit, signal)),
    restartUnit: (unit, signal) => described(`RestartUnit(${unit}) failed`, () => runJob("RestartUnit", unit, signal)),
    resetFailedUnit: (unit, signal) =>
      described(`ResetFailedUnit(${unit}) failed`, async () => {
        await call("ResetFailedUnit", "s", [unit], signal);
      }),
    unitFileState: (unit, signal) =>
      described(`cannot read ${unit}'s UnitFileState from systemd`, async () => {
        const unitMap = await getAll(await unitPath(unit, signal), UNIT_INTERFACE, signal);
        if (unitMap["LoadState"]?.value === "not-found") throw new Error(`${unit} is not installed (LoadState not-found)`);
        const state = unitMap["UnitFileState"]?.value;
        return typeof state === "string" && state !== "" ? state : "unknown";
      }),
    onUnitChange: (unit, listener) => watchers.add(unitObjectPath(unit), listener),
    async close() {
      closed = true;
      watchers.close();
      current?.session.close();
      current = null;
    },
  };
}

function managerCall(member: string, signature: string, body: unknown[]) {
  return { destination: SYSTEMD_SERVICE, path: MANAGER_PATH, interface: MANAGER_INTERFACE, member, signature, body };
}

function propertiesChangedRule(unitPath: string): string {
  return `type='signal',sender='${SYSTEMD_SERVICE}',path='${unitPath}',interface='${PROPERTIES_INTERFACE}',member='PropertiesChanged'`;
}
