// The smallest loop around a baseline decision core: read every probe (the daemon's own probes over
// the model), stamp them as the daemon does, decide, run the remedies through the same simulated
// actions, feed their outcomes back. No journal and no phases: a cron script keeps neither.
import { stampObservations } from "../../src/core/observe.js";
import type { ActionOutcome, Observations, RemedyCommand } from "../../src/core/types.js";
import { readProbes } from "../../src/daemon/read-probes.js";
import type { Action } from "../../src/ports.js";
import type { ContenderContext, Decide, Iteration, Running } from "./contender.js";

/**
 * Run `decide` as a contender; `trouble` is its own health check (for time to detect). With
 * `rememberAs`, its state outlives a reboot of the node (a person does; a cron script does not).
 */
export function runDecide<S>(ctx: ContenderContext, decide: Decide<S>, initial: S, trouble: (obs: Observations, state: S) => boolean, rememberAs?: string): Running {
  let state = rememberAs !== undefined && ctx.memory.has(rememberAs) ? (ctx.memory.get(rememberAs) as S) : initial;
  let observations: Observations | null = null;
  let finished: ActionOutcome[] = [];
  const signal = new AbortController().signal;
  return {
    async iterate(now: number): Promise<Iteration> {
      const readings = await readProbes(ctx.probes, ctx.config.timing.probeTimeout);
      observations = stampObservations(observations, readings, now);
      const result = decide(state, { observations, finished, requests: [] }, now);
      state = result.state;
      if (rememberAs !== undefined) ctx.memory.set(rememberAs, state);
      finished = [];
      for (const command of result.commands) {
        if (command.kind === "announce") continue;
        const action = ctx.sim.actions[command.kind] as Action<RemedyCommand>;
        const report = await action.run(command, signal);
        finished.push({ kind: command.kind, ok: report.ok, detail: report.detail, at: ctx.clock.now() });
      }
      return { observations, sawTrouble: trouble(observations, state), commands: result.commands };
    },
  };
}
