// watchdog.yaml for the served node: every host path the daemon uses points into the serve
// directory, and every runbook duration is divided by --speed, because the node lives `speed`×
// faster than the wall clock the daemon measures with. A 30 s hold-off at speed 10 is 3 s of wall
// time, which is 30 s of node time: the daemon's decisions are the ones it would take on a real node.
import { stringify } from "yaml";
import { formatDuration } from "../../config/duration.js";
import { configSchema, type Config } from "../../config/schema.js";
import { NODE_FACTS } from "../model/inventory.js";

/** Where the faces of the served node are. */
export interface ServedPaths {
  busAddress: string;
  kubeconfig: string;
  containerdSocket: string;
  killall: string;
  containerdLog: string;
  journalctl: string;
  dockerSocket: string;
  registryEndpoint: string;
  runtimeDir: string;
  /** The serving process's control socket; the daemon reads the simulated host's file systems there. */
  controlSocket: string;
}

// Floors for the scaled values that bound real I/O (a process start, a TLS handshake), which
// does not get faster with the model.
const MIN_TICK_MS = 200;
const MIN_PROBE_TIMEOUT_MS = 2_000;
const MIN_ACTION_TIMEOUT_MS = 10_000;
// The shortest hold-off the config accepts (src/config/ranges.ts, HOLD_OFF): a 2 s confirmation at
// speed 10 is held at 1 s of wall time, 10 s of node time.
const MIN_HOLD_OFF_MS = 1_000;

/** "3s", "1m30s", or "1500ms" when not whole seconds: what parseDuration reads back exactly. */
function durationText(ms: number): string {
  const whole = Math.round(ms);
  return whole % 1000 === 0 ? formatDuration(whole) : `${whole}ms`;
}

function scaleAll<T extends Record<string, unknown>>(values: T, scale: (ms: number) => number): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, typeof value === "number" ? durationText(scale(value)) : scaleAll(value as Record<string, unknown>, scale)]),
  );
}

/** The config document (before YAML) for the served node at `speed`. */
export function servedConfig(paths: ServedPaths, speed: number): Record<string, unknown> {
  const defaults: Config = configSchema.parse({});
  const scaled = (ms: number) => ms / speed;
  const timing = scaleAll(defaults.timing, (ms) => Math.max(MIN_HOLD_OFF_MS, scaled(ms)));
  timing.tick = durationText(Math.max(MIN_TICK_MS, scaled(defaults.timing.tick)));
  timing.probeTimeout = durationText(Math.min(defaults.timing.probeTimeout, Math.max(MIN_PROBE_TIMEOUT_MS, scaled(defaults.timing.probeTimeout))));
  const budgets = Object.fromEntries(
    Object.entries(defaults.budgets).map(([key, budget]) => [key, { max: budget.max, window: durationText(scaled(budget.window)) }]),
  );
  const actionTimeouts = scaleAll(defaults.actionTimeouts, (ms) => Math.min(ms, Math.max(MIN_ACTION_TIMEOUT_MS, scaled(ms))));
  return {
    namespace: defaults.namespace,
    // The served node is not this host: name the node the daemon is to judge.
    nodeName: NODE_FACTS.name,
    dbus: { address: paths.busAddress },
    k3s: {
      unit: defaults.k3s.unit,
      kubeconfig: paths.kubeconfig,
      containerdSocket: paths.containerdSocket,
      killall: paths.killall,
      containerdLog: paths.containerdLog,
      journalctl: paths.journalctl,
    },
    registry: {
      container: defaults.registry.container,
      endpoint: paths.registryEndpoint,
      dockerSocket: paths.dockerSocket,
      imagePrefix: "localhost:5000/",
    },
    timing,
    budgets,
    actionTimeouts,
    status: { runtimeDir: paths.runtimeDir },
    // The host-disk check reads the simulated host's file systems, never this machine's disks.
    maintenance: { disk: { simulatedHost: paths.controlSocket } },
    // The served node is as new as the daemon's journal: nothing was forgotten, so nothing is held.
    journal: { holdBudgetsWhenForgotten: false },
  };
}

/** The YAML text, with a header saying what it is for. */
export function servedConfigYaml(paths: ServedPaths, speed: number): string {
  const header = [
    "# Written by `songnodes-watchdog simulate --serve`: the daemon's config for the served, simulated node.",
    `# The node runs at speed ${speed}: its time passes ${speed}× faster than the wall clock, so every runbook`,
    `# duration below is the default divided by ${speed} (tick, probe and action timeouts have floors).`,
    "# Run: songnodes-watchdog run --config <this file> --state-dir <dir>",
  ];
  return `${header.join("\n")}\n${stringify(servedConfig(paths, speed))}`;
}
