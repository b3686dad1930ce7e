// What the container's systemd and journald say, read with their own tools inside the container:
// `systemctl show` for unit properties and `journalctl -o json` for log lines with their priority.
import { waitFor } from "./exec.mjs";

/** `systemctl show unit -p …` as an object of strings. */
export async function showUnit(machine, unit, properties) {
  const result = await machine.execOk(["systemctl", "show", unit, "--no-pager", ...properties.flatMap((p) => ["-p", p])], { timeoutMs: 10_000 });
  const values = {};
  for (const line of result.stdout.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}

/** Wait until `predicate(properties)` holds; returns the properties that satisfied it. */
export function waitForUnit(machine, unit, properties, predicate, { what, timeoutMs = 30_000 } = {}) {
  let last = null;
  return waitFor(
    what ?? `${unit} to reach the expected state`,
    async () => {
      last = await showUnit(machine, unit, properties);
      return predicate(last) ? last : null;
    },
    { timeoutMs, intervalMs: 250 },
  ).catch((error) => {
    throw new Error(`${error.message}; last: ${JSON.stringify(last)}`);
  });
}

/** journald entries (parsed JSON) for `journalctl args…`; MESSAGE arrays of bytes are decoded. */
export async function journal(machine, args) {
  const result = await machine.execOk(["journalctl", "--no-pager", "-o", "json", ...args], { timeoutMs: 20_000 });
  return result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line))
    .map((entry) => ({ ...entry, MESSAGE: Array.isArray(entry.MESSAGE) ? Buffer.from(entry.MESSAGE).toString("utf8") : entry.MESSAGE }));
}

/** A microsecond value from `systemctl show` (…Timestamp properties with --timestamp=unix are "@s"; the …Monotonic ones are µs) in ms. */
export function usecToMs(value) {
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? Math.round(number / 1000) : null;
}
