// The real daemon as a contender: src/daemon/loop.ts with the real core (step), the real journal
// (in memory, kept across the node's reboots as the SQLite file would be) and the simulated ports,
// exactly what `songnodes-watchdog simulate` runs. Nothing of the daemon is replaced.
import { parseConfig } from "../../src/config/load.js";
import { createLoop } from "../../src/daemon/loop.js";
import { openJournal } from "../../src/journal/index.js";
import type { Journal } from "../../src/journal/types.js";
import type { Logger } from "../../src/ports.js";
import { anyNotOk, type Contender } from "./contender.js";

const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A build of the daemon's loop, journal and config: this tree's, or an earlier commit's (bench/recovery/before-build.ts). */
export interface DaemonBuild {
  createLoop: typeof createLoop;
  openJournal: typeof openJournal;
  /** Validates the scenario's config with this build's own defaults (an earlier commit's hold-offs). */
  parseConfig: typeof parseConfig;
}

/** This tree's build. */
export const THIS_BUILD: DaemonBuild = { createLoop, openJournal, parseConfig };

/**
 * The daemon with the scenario's config; ticks every timing.tick and wakes on events. `journalPath`:
 * a SQLite file instead of memory. `build` and `name`: another commit's daemon, for a before/after.
 */
export function daemonContender(tickMs: number, journalPath?: string, build: DaemonBuild = THIS_BUILD, name = "daemon"): Contender {
  return {
    name,
    summary: "songnodes-watchdog: the real loop and core (ladder, hold-offs, budgets), event-driven plus a tick",
    tickMs,
    eventDriven: true,
    start(ctx) {
      let journal = ctx.memory.get("journal") as Journal | undefined;
      if (journal === undefined && journalPath !== undefined) journal = build.openJournal(journalPath, ctx.clock);
      const config = build === THIS_BUILD ? ctx.config : build.parseConfig(ctx.rawConfig, `${name}: config`);
      const loop = build.createLoop({
        config, probes: ctx.probes, actions: ctx.sim.actions as never, logger: QUIET,
        clock: ctx.clock, bootId: ctx.node.runtime.bootId(), ...(journal ? { journal } : {}),
      });
      ctx.memory.set("journal", loop.journal);
      return {
        request: (op) => loop.request(op),
        async iterate(now) {
          const report = await loop.iterate(now);
          return { observations: report.observations, sawTrouble: anyNotOk(report.observations), commands: report.commands, wakeAt: report.wakeAt };
        },
      };
    },
  };
}
