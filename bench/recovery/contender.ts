// What the recovery bench compares: a "contender" is one way of looking after the node (the real
// daemon, a baseline decision core, the runbook done by hand, an oracle plan). Each is plugged into
// the same driver (bench/recovery/drive.ts) over the same node model, probes and actions, so the
// only thing that differs between two columns of the table is the decision.
import type { Config } from "../../src/config/schema.js";
import type { Command, Observations, OperatorRequest, StepInput } from "../../src/core/types.js";
import type { ProbeSet } from "../../src/daemon/read-probes.js";
import type { SimActions } from "../../src/sim/ports/sim-actions.js";
import type { SongNodesNode } from "../../src/sim/model/songnodes-node.js";

/** A decision core with step()'s shape: observations in, commands out, its own state threaded through. */
export type Decide<S> = (state: S, input: StepInput, now: number) => { state: S; commands: Command[] };

/** What one iteration of a contender looked at and whether it saw trouble (its own notion of "detected"). */
export interface Iteration {
  observations: Observations;
  /** True when this contender's own check says something is wrong (what "time to detect" measures). */
  sawTrouble: boolean;
  /** The daemon's next wake-up (a hold-off running out before the tick), as its scheduler uses it. */
  wakeAt?: number | null;
  commands: Command[];
}

/** A contender running on one node for one scenario. */
export interface Running {
  iterate(now: number): Promise<Iteration>;
  /** Pause/resume from the control socket; only the daemon has one. */
  request?(op: OperatorRequest): void;
}

/** Everything the driver hands a contender when the node (re)boots. */
export interface ContenderContext {
  node: SongNodesNode;
  config: Config;
  /** The scenario's config as written, for a contender that validates it itself (an earlier commit's daemon, with its own defaults). */
  rawConfig: Record<string, unknown>;
  probes: ProbeSet;
  sim: SimActions;
  clock: { now(): number };
  /** Carried across a reboot of the node: the daemon keeps its SQLite journal, a script its nothing. */
  memory: Map<string, unknown>;
}

/** One column of the recovery table. */
export interface Contender {
  name: string;
  /** One line for the table's legend and the docs. */
  summary: string;
  /** The periodic wake-up, node time. */
  tickMs: number;
  /** Also woken ~200 ms after a unit PropertiesChanged or a pod/node watch event (the daemon's scheduler). */
  eventDriven: boolean;
  start(ctx: ContenderContext): Running;
}

/** The readings' own verdict: anything not ok is trouble (what a health script sees). */
export function anyNotOk(obs: Observations): boolean {
  return Object.values(obs).some((reading) => reading.status !== "ok");
}
