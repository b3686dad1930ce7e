// `songnodes-watchdog simulate`: the simulated SongNodes node. (Being written: src/sim/.)
import type { Command } from "commander";

/** Register `simulate`. */
export function registerSimulate(_program: Command): void {}
