// Drives step() like the loop does, on a fake clock: stamps readings, feeds each remedy's outcome
// back on the next step (ok unless told otherwise), and keeps every command for the assertions.
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { stampObservations, type Readings } from "../../src/core/observe.js";
import { initialState } from "../../src/core/state.js";
import { step } from "../../src/core/step.js";
import type { ActionOutcome, ActionStamp, Command, CoreState, Observations, OperatorRequest, RemedyKind } from "../../src/core/types.js";

export class FakeNode {
  readonly policy: Config;
  state: CoreState;
  observations: Observations | null = null;
  readonly log: { at: number; command: Command }[] = [];
  notes: string[] = [];
  /** The last step's whole result. */
  lastResult: { step: ReturnType<typeof step> } | null = null;
  private pending: ActionOutcome[] = [];
  /** Outcome of the next remedies: true (ok) unless set. */
  remedyOk = true;

  constructor(start: number, config: unknown = {}, stamps: ActionStamp[] = []) {
    this.policy = parseConfig(config);
    this.state = initialState(start, stamps);
  }

  /** One step at `now`; returns that step's commands. */
  tick(now: number, readings: Readings, requests: OperatorRequest[] = []): Command[] {
    this.observations = stampObservations(this.observations, readings, now);
    const result = step(this.policy, this.state, { observations: this.observations, finished: this.pending, requests }, now);
    this.state = result.state;
    this.notes = result.notes;
    this.lastResult = { step: result };
    this.pending = result.commands.filter((c) => c.kind !== "announce").map((c) => ({ kind: c.kind as RemedyKind, ok: this.remedyOk, detail: "test", at: now }));
    for (const command of result.commands) this.log.push({ at: now, command });
    return result.commands;
  }

  /** One step at `now` with CLOCK_MONOTONIC reading `monotonic` (the wall clock reads `wallNow`, `now` unless told). */
  stepAt(now: number, readings: Readings, monotonic: number, wallNow = now): Command[] {
    this.observations = stampObservations(this.observations, readings, now);
    const input = { observations: this.observations, finished: this.pending, requests: [], monotonic, wallNow };
    const result = step(this.policy, this.state, input, now);
    this.state = result.state;
    this.notes = result.notes;
    this.lastResult = { step: result };
    this.pending = result.commands.filter((c) => c.kind !== "announce").map((c) => ({ kind: c.kind as RemedyKind, ok: this.remedyOk, detail: "test", at: now }));
    for (const command of result.commands) this.log.push({ at: now, command });
    return result.commands;
  }

  /** Step every `every` ms from `from` up to and including `to`, reading `readingsAt(t)`. */
  run(from: number, to: number, readingsAt: (t: number) => Readings, every = 5000): void {
    for (let t = from; t <= to; t += every) this.tick(t, readingsAt(t));
  }

  remedies(kind?: RemedyKind): { at: number; command: Command }[] {
    return this.log.filter((e) => e.command.kind !== "announce" && (kind === undefined || e.command.kind === kind));
  }

  announcements(level?: "info" | "warning" | "err"): string[] {
    return this.log.flatMap((e) => (e.command.kind === "announce" && (level === undefined || e.command.level === level) ? [e.command.message] : []));
  }
}
