// The daemon's ports: every piece of I/O sits behind one of these interfaces. Only the wiring
// module (src/daemon/wiring.ts) builds the real ones; tests hand in real local peers or fakes
// written by hand, and the simulator hands in ports that act on its model.
import type { ActionOutcome, K3sUnitDetail, ProbeName, Reading, RemedyCommand } from "./core/types.js";

/** The host's clocks in ms; the simulator's are virtual. */
export interface Clock {
  /** Wall-clock time since the epoch: for display, and for stamps that must outlive a reboot. */
  now(): number;
  /**
   * CLOCK_MONOTONIC (ms since boot, the clock of systemd's `…TimestampMonotonic`): ages, hold-offs,
   * start budgets and verification windows within a boot, immune to steps of the wall clock. A clock
   * that only stamps (the simulator's API server, the status socket) may leave it out; the loop
   * then decides on wall time.
   */
  monotonic?(): number;
}

/** The real host's clocks: Date.now() and process.hrtime, which is CLOCK_MONOTONIC on Linux. */
export const systemClock: Required<Clock> = {
  now: () => Date.now(),
  monotonic: () => Number(process.hrtime.bigint() / 1_000_000n),
};

/** Structured logging; `message` is what a person reads first in journalctl. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One probe: looks once, never throws; `signal` aborts it when its timeout runs out. */
export interface Probe<D> {
  name: ProbeName;
  read(signal: AbortSignal): Promise<Reading<D>>;
  /** Event-driven probes (D-Bus signals, Kubernetes watches) call `wake` when something changed. */
  watch?(wake: (why: string) => void): () => void;
  /**
   * True when this probe's last reading still stands without looking again: it was ok, what the
   * probe watches (a D-Bus signal, the watches' connections) told of no change since, and it is
   * younger than the probe's re-check bound. Only a quiet iteration asks (src/daemon/read-probes.ts).
   */
  quiet?(): boolean;
  /**
   * How much longer, in ms, that last reading stands if no news comes: 0 when quiet() is false,
   * Infinity when only news can end it. The scheduler sleeps through the ticks before the shortest
   * of these (src/daemon/scheduler.ts); a probe without it keeps the daemon ticking.
   */
  standsFor?(): number;
  /** Release connections and watches. */
  close?(): Promise<void>;
}

/** What a remedy did, for the journal: which objects it touched and how it went. */
export interface ActionReport {
  ok: boolean;
  /** One readable sentence. */
  detail: string;
  /** What it acted on: "k3s.service", "registry", "songnodes/rest-api-7d9f-abcde", … */
  touched: string[];
}

/** One remedy; never throws (a failure is `ok: false` with the reason). */
export interface Action<C extends RemedyCommand = RemedyCommand> {
  kind: C["kind"];
  run(command: C, signal: AbortSignal): Promise<ActionReport>;
}

/** Properties of a systemd unit as the daemon uses them (timestamps in ms since the epoch). */
export type UnitProperties = K3sUnitDetail;

/** systemd's Manager and Unit API over D-Bus, reduced to what the ladder needs. */
export interface Systemd {
  /** Throws when the bus or the unit cannot be reached; probes turn that into `unknown`. */
  unitProperties(unit: string, signal: AbortSignal): Promise<UnitProperties>;
  /** Start, stop or restart, mode "replace", and wait for the job's JobRemoved result ("done", "failed", …). */
  startUnit(unit: string, signal: AbortSignal): Promise<string>;
  stopUnit(unit: string, signal: AbortSignal): Promise<string>;
  restartUnit(unit: string, signal: AbortSignal): Promise<string>;
  resetFailedUnit(unit: string, signal: AbortSignal): Promise<void>;
  /** UnitFileState ("enabled", "disabled", "static", "masked", …): whether the unit starts at boot. */
  unitFileState(unit: string, signal: AbortSignal): Promise<string>;
  /** Calls `listener` on PropertiesChanged of the unit; survives reconnects of the bus. */
  onUnitChange(unit: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** The result of running a program (never through a shell). */
export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
  durationMs: number;
}

/** Run `argv` with a timeout; on timeout the whole process group is killed. */
export type RunCommand = (
  argv: readonly string[],
  options: { timeoutMs: number; env?: Record<string, string>; signal?: AbortSignal },
) => Promise<CommandResult>;

/** Tells systemd how the daemon is doing (sd_notify); a no-op outside systemd. */
export interface Notifier {
  ready(status: string): Promise<void>;
  status(status: string): Promise<void>;
  watchdog(): Promise<void>;
  stopping(): Promise<void>;
}

export type { ActionOutcome };
