// The D-Bus face of one simulated unit: org.freedesktop.systemd1.Unit and .Service at the path
// systemd would use, with systemd's property types (timestamps are t in µs, NRestarts is u), and
// PropertiesChanged when the model changes something.
import * as dbus from "dbus-next";
import type { MessageBus } from "dbus-next";
import { SERVICE_INTERFACE, UNIT_INTERFACE, unitObjectPath } from "../../systemd/dbus-names.js";
import { msToUsec } from "../../systemd/dbus-unit-properties.js";
import type { UnitDriver } from "./unit-driver.js";

const { Interface } = dbus.interface;

/** org.freedesktop.systemd1.Unit for one driver; values are read from the model on every Get. */
class UnitInterface extends Interface {
  constructor(readonly driver: UnitDriver) {
    super(UNIT_INTERFACE);
  }
  get Id(): string {
    return this.driver.name;
  }
  get Names(): string[] {
    return [this.driver.name];
  }
  get Description(): string {
    return `Simulated ${this.driver.name}`;
  }
  get LoadState(): string {
    return "loaded";
  }
  get ActiveState(): string {
    return this.driver.properties().activeState;
  }
  get SubState(): string {
    return this.driver.properties().subState;
  }
  get InactiveExitTimestamp(): bigint {
    return msToUsec(this.driver.properties().inactiveExitAt);
  }
  get ActiveEnterTimestamp(): bigint {
    return msToUsec(this.driver.properties().activeEnterAt);
  }
  get InactiveExitTimestampMonotonic(): bigint {
    return msToUsec(this.driver.properties().inactiveExitMono ?? null);
  }
  get ActiveEnterTimestampMonotonic(): bigint {
    return msToUsec(this.driver.properties().activeEnterMono ?? null);
  }
}
UnitInterface.configureMembers({
  properties: {
    Id: { signature: "s", access: "read" },
    Names: { signature: "as", access: "read" },
    Description: { signature: "s", access: "read" },
    LoadState: { signature: "s", access: "read" },
    ActiveState: { signature: "s", access: "read" },
    SubState: { signature: "s", access: "read" },
    InactiveExitTimestamp: { signature: "t", access: "read" },
    ActiveEnterTimestamp: { signature: "t", access: "read" },
    InactiveExitTimestampMonotonic: { signature: "t", access: "read" },
    ActiveEnterTimestampMonotonic: { signature: "t", access: "read" },
  },
});

/** org.freedesktop.systemd1.Service: Result and NRestarts are per service, not per unit. */
class ServiceInterface extends Interface {
  constructor(readonly driver: UnitDriver) {
    super(SERVICE_INTERFACE);
  }
  get Type(): string {
    return "notify";
  }
  get Result(): string {
    return this.driver.properties().result;
  }
  get NRestarts(): number {
    return this.driver.properties().restarts ?? 0;
  }
  get ExecMainStartTimestamp(): bigint {
    return msToUsec(this.driver.properties().execMainStartAt ?? null);
  }
  get ExecMainStartTimestampMonotonic(): bigint {
    return msToUsec(this.driver.properties().execMainStartMono ?? null);
  }
}
ServiceInterface.configureMembers({
  properties: {
    Type: { signature: "s", access: "read" },
    Result: { signature: "s", access: "read" },
    NRestarts: { signature: "u", access: "read" },
    ExecMainStartTimestamp: { signature: "t", access: "read" },
    ExecMainStartTimestampMonotonic: { signature: "t", access: "read" },
  },
});

/** What a unit shows on the bus now, to compute which properties changed. */
function snapshot(unit: UnitInterface, service: ServiceInterface): { unit: Record<string, unknown>; service: Record<string, unknown> } {
  return {
    unit: {
      ActiveState: unit.ActiveState, SubState: unit.SubState, InactiveExitTimestamp: unit.InactiveExitTimestamp, ActiveEnterTimestamp: unit.ActiveEnterTimestamp,
      InactiveExitTimestampMonotonic: unit.InactiveExitTimestampMonotonic, ActiveEnterTimestampMonotonic: unit.ActiveEnterTimestampMonotonic,
    },
    service: { Result: service.Result, NRestarts: service.NRestarts, ExecMainStartTimestamp: service.ExecMainStartTimestamp, ExecMainStartTimestampMonotonic: service.ExecMainStartTimestampMonotonic },
  };
}

function changes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
}

/**
 * Exports `driver` at its unit path on `bus`; `shouldSignal()` says whether anyone subscribed (systemd
 * sends PropertiesChanged only then). Returns a function that stops listening and unexports.
 */
export function exportUnitObject(bus: MessageBus, driver: UnitDriver, shouldSignal: () => boolean): () => void {
  const path = unitObjectPath(driver.name);
  const unit = new UnitInterface(driver);
  const service = new ServiceInterface(driver);
  bus.export(path, unit);
  bus.export(path, service);
  let last = snapshot(unit, service);
  const stop = driver.onChange(() => {
    const now = snapshot(unit, service);
    const unitChanges = changes(last.unit, now.unit);
    const serviceChanges = changes(last.service, now.service);
    last = now;
    if (!shouldSignal()) return;
    if (Object.keys(unitChanges).length > 0) Interface.emitPropertiesChanged(unit, unitChanges, []);
    if (Object.keys(serviceChanges).length > 0) Interface.emitPropertiesChanged(service, serviceChanges, []);
  });
  return () => {
    stop();
    bus.unexport(path, unit);
    bus.unexport(path, service);
  };
}
