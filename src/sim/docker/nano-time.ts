// dockerd's times: nanoseconds since the epoch, written as Go's RFC 3339 with nanoseconds (trailing
// zeros of the fraction dropped, no fraction at all for a whole second), so a stand-in's StartedAt
// reads like a real one (`…T23:15:10.214464213Z`), not like JavaScript's milliseconds.
import { hrtime } from "node:process";

// The wall clock in milliseconds plus the monotonic clock's nanoseconds since then: a wall-clock
// time with nanosecond digits, as Go's time.Now() has.
const anchor = { wallNs: BigInt(Date.now()) * 1_000_000n, monotonic: hrtime.bigint() };

/** Now, in nanoseconds since the epoch. */
export function wallClockNs(): bigint {
  return anchor.wallNs + (hrtime.bigint() - anchor.monotonic);
}

/** `ns` as Go's time.RFC3339Nano in UTC. */
export function rfc3339Nano(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const seconds = new Date(Number(ms)).toISOString().slice(0, 19);
  const fraction = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${seconds}${fraction === "" ? "" : `.${fraction}`}Z`;
}
