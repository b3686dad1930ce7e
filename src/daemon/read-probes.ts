// Reading every probe at once, each bounded by its timeout. A probe that throws or does not answer
// in time reads "unknown" with the reason, so one stuck probe can never stall the loop.
import type { Readings } from "../core/observe.js";
import type { ProbeName, Reading } from "../core/types.js";
import { PROBE_NAMES } from "../core/types.js";
import { formatDuration } from "../config/duration.js";
import type { Probe } from "../ports.js";

export type ProbeSet = { [K in ProbeName]: Probe<NonNullable<Readings[K]["detail"]>> };

/**
 * Read all probes concurrently; never rejects. With `standing` (the last readings, handed in only
 * for a quiet iteration), a probe that says its last reading still stands (`quiet()`) is not read;
 * its name goes into `stood`.
 */
export async function readProbes(probes: ProbeSet, timeoutMs: number, standing: Readings | null = null, stood?: Set<string>): Promise<Readings> {
  const entries = await Promise.all(PROBE_NAMES.map(async (name) => {
    const probe = probes[name] as Probe<unknown>;
    const kept = standing?.[name];
    if (kept !== undefined && kept.status === "ok" && probe.quiet?.() === true) {
      stood?.add(name);
      return [name, kept] as const;
    }
    return [name, await readOne(probe, timeoutMs)] as const;
  }));
  return Object.fromEntries(entries) as unknown as Readings;
}

async function readOne(probe: Probe<unknown>, timeoutMs: number): Promise<Reading<unknown>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Reading<unknown>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error("probe timeout"));
      resolve({ status: "unknown", reason: `probe ${probe.name} did not answer within ${formatDuration(timeoutMs)}`, detail: null });
    }, timeoutMs);
  });
  try {
    const looked = probe.read(controller.signal).then(
      (reading) => reading,
      (error: unknown) => ({ status: "unknown" as const, reason: `probe ${probe.name} failed: ${(error as Error)?.message ?? String(error)}`, detail: null }),
    );
    return await Promise.race([looked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
