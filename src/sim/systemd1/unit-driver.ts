// What the systemd1 stand-in needs from a unit model (the simulated k3s.service). The stand-in
// turns these calls into D-Bus jobs and PropertiesChanged signals; the model decides the timing.
import type { UnitProperties } from "../../ports.js";

/** A systemd job's result as JobRemoved reports it. */
export type JobResult = "done" | "canceled" | "timeout" | "failed" | "dependency" | "skipped";

/** One simulated unit. Jobs resolve when the unit settles (active: "done"; failed to start: "failed"). */
export interface UnitDriver {
  readonly name: string;
  properties(): UnitProperties;
  start(): Promise<JobResult>;
  stop(): Promise<JobResult>;
  restart(): Promise<JobResult>;
  /** Clears Result and the start-limit counter, as `systemctl reset-failed` does. */
  resetFailed(): void;
  /** UnitFileState as `systemctl is-enabled` shows it; "enabled" when the model does not say. */
  unitFileState?(): string;
  /** Called whenever a property changes. */
  onChange(listener: () => void): () => void;
}
