// Turns the property maps systemd sends (a{sv} from Properties.GetAll) into UnitProperties.
// Pure, so it is tested with literal values: uint64 arrives as BigInt from dbus-next.
import type { UnitProperties } from "../ports.js";

/** A property map as dbus-next decodes a{sv}: each value is a Variant. */
export type PropertyMap = Record<string, { signature?: string; value: unknown } | undefined>;

/**
 * A systemd timestamp (µs since the epoch, type t) in ms; 0 means "never happened", so null.
 * BigInt keeps the µs exact until the division; Number() of µs would lose nothing today either,
 * but dbus-next hands BigInt and mixing the two throws a TypeError.
 */
export function usecToMs(value: unknown): number | null {
  if (typeof value === "bigint") return value === 0n ? null : Number(value / 1000n);
  if (typeof value === "number") return value === 0 ? null : Math.floor(value / 1000);
  return null;
}

/** A string property, or `fallback` when systemd did not send it. */
function text(map: PropertyMap, name: string, fallback: string): string {
  const value = map[name]?.value;
  return typeof value === "string" ? value : fallback;
}

/** Unit + Service property maps → UnitProperties. NRestarts is absent before systemd 235: null; a missing timestamp: null. */
export function toUnitProperties(unit: PropertyMap, service: PropertyMap): UnitProperties {
  const restarts = service["NRestarts"]?.value;
  return {
    activeState: text(unit, "ActiveState", "unknown"),
    subState: text(unit, "SubState", "unknown"),
    // Result lives on the Service interface; other unit types have none, so "success".
    result: text(service, "Result", "success"),
    inactiveExitAt: usecToMs(unit["InactiveExitTimestamp"]?.value),
    activeEnterAt: usecToMs(unit["ActiveEnterTimestamp"]?.value),
    restarts: typeof restarts === "number" ? restarts : typeof restarts === "bigint" ? Number(restarts) : null,
    // ExecMain* live on the Service interface; the …Monotonic twins are CLOCK_MONOTONIC µs since boot.
    execMainStartAt: usecToMs(service["ExecMainStartTimestamp"]?.value),
    inactiveExitMono: usecToMs(unit["InactiveExitTimestampMonotonic"]?.value),
    activeEnterMono: usecToMs(unit["ActiveEnterTimestampMonotonic"]?.value),
    execMainStartMono: usecToMs(service["ExecMainStartTimestampMonotonic"]?.value),
  };
}

/** systemd's own time type back from ms: what the stand-in puts on the bus (null → 0, "never"). */
export function msToUsec(ms: number | null): bigint {
  return ms === null ? 0n : BigInt(Math.round(ms)) * 1000n;
}
