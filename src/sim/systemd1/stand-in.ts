// A stand-in for systemd's D-Bus API (org.freedesktop.systemd1) on a private bus: the Manager
// methods the watchdog uses, jobs with JobNew/JobRemoved, unit objects with PropertiesChanged and
// systemd's error names. The unit models (UnitDriver) decide what happens and when.
import * as dbus from "dbus-next";
import type { Message as DbusMessage, MessageBus } from "dbus-next";
import { canSend } from "../../systemd/dbus-session.js";
import { MANAGER_INTERFACE, MANAGER_PATH, NO_SUCH_UNIT, SYSTEMD_SERVICE, unitObjectPath } from "../../systemd/dbus-names.js";
import type { JobResult, UnitDriver } from "./unit-driver.js";
import { exportUnitObject } from "./unit-objects.js";

const { DBusError, Message } = dbus;
const { Interface } = dbus.interface;

/** Job modes systemd accepts; anything else is InvalidArgs, as in systemd. */
const JOB_MODES = new Set(["replace", "fail", "isolate", "ignore-dependencies", "ignore-requirements", "flush", "triggering", "replace-irreversibly"]);

/** A handle on the exported stand-in, for tests and the simulator. */
export interface Systemd1StandIn {
  /** Emit JobRemoved before the method reply (the reply waits for the job): the race real systemd allows. */
  jobRemovedBeforeReply: boolean;
  /** Bus names that called Subscribe and are still connected. */
  readonly subscribers: ReadonlySet<string>;
  /** Unexport everything and release the name (the bus connection stays the caller's). */
  close(): Promise<void>;
}

type JobKind = "start" | "stop" | "restart";

class ManagerInterface extends Interface {
  jobRemovedBeforeReply = false;
  nextJob = 0;
  /** The caller of the method being handled (dbus-next hands methods only the body). */
  caller = "";
  readonly subscribers = new Set<string>();
  constructor(
    readonly units: Map<string, UnitDriver>,
    readonly bus: MessageBus,
  ) {
    super(MANAGER_INTERFACE);
  }
  /** Signals go out only to subscribers (as in systemd) and only while the bus is there. */
  signalling(): boolean {
    return this.subscribers.size > 0 && canSend(this.bus);
  }
  unit(name: string, verb: "loaded" | "found"): UnitDriver {
    const driver = this.units.get(name);
    if (!driver) throw new DBusError(NO_SUCH_UNIT, `Unit ${name} not ${verb}.`);
    return driver;
  }
  GetUnit(name: string): string {
    return unitObjectPath(this.unit(name, "loaded").name);
  }
  LoadUnit(name: string): string {
    return unitObjectPath(this.unit(name, "found").name);
  }
  StartUnit(name: string, mode: string): string | Promise<string> {
    return this.queue("start", name, mode);
  }
  StopUnit(name: string, mode: string): string | Promise<string> {
    return this.queue("stop", name, mode);
  }
  RestartUnit(name: string, mode: string): string | Promise<string> {
    return this.queue("restart", name, mode);
  }
  ResetFailedUnit(name: string): void {
    this.unit(name, "loaded").resetFailed();
  }
  Subscribe(): void {
    this.subscribers.add(this.caller);
  }
  Unsubscribe(): void {
    this.subscribers.delete(this.caller);
  }
  JobNew(id: number, job: string, unit: string): unknown[] {
    return [id, job, unit];
  }
  JobRemoved(id: number, job: string, unit: string, result: string): unknown[] {
    return [id, job, unit, result];
  }
  queue(kind: JobKind, name: string, mode: string): string | Promise<string> {
    if (!JOB_MODES.has(mode)) throw new DBusError("org.freedesktop.DBus.Error.InvalidArgs", `Job mode ${mode} invalid.`);
    const driver = this.unit(name, "loaded");
    const id = ++this.nextJob;
    const job = `${MANAGER_PATH}/job/${id}`;
    if (this.signalling()) this.JobNew(id, job, name);
    const settled = (kind === "start" ? driver.start() : kind === "stop" ? driver.stop() : driver.restart()).catch(
      (): JobResult => "failed",
    );
    const removed = settled.then((result) => {
      if (this.signalling()) this.JobRemoved(id, job, name, result);
    });
    removed.catch(() => undefined);
    if (!this.jobRemovedBeforeReply) return job;
    // The reply then leaves after JobRemoved: a client must not miss a job that ended that fast.
    // No reply at all once the bus is gone: dbus-next would throw writing it to a closed stream.
    return removed.then(() => (canSend(this.bus) ? job : new Promise<string>(() => undefined)));
  }
}
ManagerInterface.configureMembers({
  methods: {
    GetUnit: { inSignature: "s", outSignature: "o" },
    LoadUnit: { inSignature: "s", outSignature: "o" },
    StartUnit: { inSignature: "ss", outSignature: "o" },
    StopUnit: { inSignature: "ss", outSignature: "o" },
    RestartUnit: { inSignature: "ss", outSignature: "o" },
    ResetFailedUnit: { inSignature: "s" },
    Subscribe: {},
    Unsubscribe: {},
  },
  signals: {
    JobNew: { signature: "uos" },
    JobRemoved: { signature: "uoss" },
  },
});

/** Exports the Manager and every unit on `bus` and takes the name org.freedesktop.systemd1. */
export async function exportSystemd1(bus: MessageBus, units: UnitDriver[]): Promise<Systemd1StandIn> {
  const manager = new ManagerInterface(new Map(units.map((unit) => [unit.name, unit])), bus);
  // Remember who is calling, for Subscribe; returning false lets dbus-next dispatch as usual.
  const noteCaller = (message: DbusMessage): boolean => {
    if (message.path === MANAGER_PATH) manager.caller = message.sender;
    return false;
  };
  bus.addMethodHandler(noteCaller);
  // A subscriber that disconnects is forgotten, as systemd tracks its subscribers.
  const onOwnerChange = (message: DbusMessage): void => {
    if (message.member !== "NameOwnerChanged" || message.interface !== "org.freedesktop.DBus") return;
    const [name, , newOwner] = message.body as [string, string, string];
    if (newOwner === "") manager.subscribers.delete(name);
  };
  bus.on("message", onOwnerChange);
  await bus.call(
    new Message({
      destination: "org.freedesktop.DBus",
      path: "/org/freedesktop/DBus",
      interface: "org.freedesktop.DBus",
      member: "AddMatch",
      signature: "s",
      body: ["type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'"],
    }),
  );
  bus.export(MANAGER_PATH, manager);
  const unexports = units.map((unit) => exportUnitObject(bus, unit, () => manager.signalling()));
  const reply = await bus.requestName(SYSTEMD_SERVICE, dbus.NameFlag.DO_NOT_QUEUE);
  if (reply !== dbus.RequestNameReply.PRIMARY_OWNER) {
    throw new Error(`cannot own ${SYSTEMD_SERVICE} on this bus (RequestName answered ${reply}): another systemd1 is there`);
  }

  return {
    get jobRemovedBeforeReply() {
      return manager.jobRemovedBeforeReply;
    },
    set jobRemovedBeforeReply(value: boolean) {
      manager.jobRemovedBeforeReply = value;
    },
    subscribers: manager.subscribers,
    async close() {
      for (const unexport of unexports) unexport();
      bus.unexport(MANAGER_PATH, manager);
      bus.removeMethodHandler(noteCaller);
      bus.removeListener("message", onOwnerChange);
      await bus.releaseName(SYSTEMD_SERVICE).catch(() => undefined);
    },
  };
}
