// `songnodes-watchdog run`: start-up, the schedule, systemd's notifications and a clean stop.
// Start-up order matters: the journal first (a dead daemon's actions are marked interrupted before
// anything else happens), then the sockets, then READY=1, then the first iteration.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from "../cli/exit-codes.js";
import { loadConfig, ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { readBootId } from "../host/boot-id.js";
import { bootStartedAt, readUptimeMs } from "../host/boot-time.js";
import { openJournal } from "../journal/index.js";
import type { Journal } from "../journal/types.js";
import { createLogger } from "../log/logger.js";
import { systemClock, type Clock, type Logger, type Notifier } from "../ports.js";
import { startStatusServer, type StatusServer } from "../status/server.js";
import { prepareChannels, startNotifications } from "../notifications/start-notifications.js";
import { SecretError } from "../notifications/secrets.js";
import { startMetricsListener, type MetricsListener } from "../status/metrics-listener.js";
import { renderMetrics } from "../status/metrics.js";
import { buildStatusView } from "../status/status-view.js";
import { createNotifier, watchdogIntervalMs } from "../systemd/notify.js";
import { createLoop, type Loop } from "./loop.js";
import { startScheduler, type Scheduler } from "./scheduler.js";
import { createStatusSource } from "./status-source.js";
import { buildRealPorts, type RealPorts } from "./wiring.js";
import { statusLine } from "./wording.js";

export interface DaemonOptions {
  configPath?: string;
  stateDir?: string;
  runtimeDir?: string;
  /** `run --log-format`: readable text or pino's JSON, whatever stdout is. */
  logFormat?: "text" | "json";
  env: NodeJS.ProcessEnv;
  /** For tests and the simulator: ports other than the real ones. */
  ports?: RealPorts;
  clock?: Clock;
}

export interface RunningDaemon {
  loop: Loop;
  scheduler: Scheduler;
  server: StatusServer;
  /** Stop cleanly: the exit code to use. */
  stop(why: string): Promise<number>;
}

// systemd's default TimeoutStopSec is 90 s; the daemon promises far less so it never delays a shutdown.
const STOP_GRACE_MS = 8_000;

/** Where the journal lives: --state-dir, then systemd's $STATE_DIRECTORY, then ./state for local runs. */
export function stateDirectory(options: Pick<DaemonOptions, "stateDir" | "env">): string {
  return options.stateDir ?? options.env.STATE_DIRECTORY?.split(":")[0] ?? "state";
}

/** Where the sockets live: --runtime-dir, the config, systemd's $RUNTIME_DIRECTORY, /run/songnodes-watchdog. */
export function runtimeDirectory(options: Pick<DaemonOptions, "runtimeDir" | "env">, config: Config): string {
  return options.runtimeDir ?? config.status.runtimeDir ?? options.env.RUNTIME_DIRECTORY?.split(":")[0] ?? "/run/songnodes-watchdog";
}

/** Start the daemon; resolves once it is serving, or with an exit code when it cannot start. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon | number> {
  // An explicit --log-format wins; otherwise journald's format under systemd, text on a terminal, JSON when piped.
  const journald = options.logFormat === undefined && options.env.JOURNAL_STREAM !== undefined;
  const logger = createLogger({ level: options.env.SONGNODES_WATCHDOG_DEBUG ? "debug" : "info", journald, ...(options.logFormat ? { pretty: options.logFormat === "text" } : {}) });
  let config: Config;
  try {
    config = loadConfig(options.configPath);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(`invalid configuration, not starting: ${error.message}`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  let channels;
  try {
    channels = prepareChannels(config, options.env);
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    logger.error(`invalid configuration, not starting: ${error.message}`);
    return EXIT_CONFIG;
  }
  const clock = options.clock ?? systemClock;
  const stateDir = stateDirectory(options);
  mkdirSync(stateDir, { recursive: true });
  const journal: Journal = openJournal(join(stateDir, "journal.sqlite"), clock);
  const told = startNotifications({ config, journalPath: join(stateDir, "journal.sqlite"), channels, clock, logger });
  const bootId = readBootId();
  const ports = options.ports ?? buildRealPorts(config, logger, clock);
  const notifier: Notifier = createNotifier({ env: options.env, runCommand: ports.runCommand, logger });
  const stopController = new AbortController();
  const startedAt = clock.now();
  const bootStart = bootStartedAt(startedAt, readUptimeMs());
  const loop = createLoop({ config, probes: ports.probes, actions: ports.actions, logger, clock, bootId, bootStartedAt: bootStart, journal, notifier, stop: stopController.signal, notifications: told.notifications?.observe });
  // Test-only: the system tests prove WatchdogSec= by making the loop hang while the process lives.
  const hangFile = options.env.SONGNODES_WATCHDOG_TEST_HANG_FILE;
  const scheduler = startScheduler({
    loop, clock, logger, tickMs: config.timing.tick, probeTimeoutMs: config.timing.probeTimeout,
    hang: hangFile ? () => existsSync(hangFile) : undefined,
  });
  const source = createStatusSource({ loop, config, bootId, bootStartedAt: bootStart, startedAt, clock, wake: (why) => scheduler.wake(why), actionCounts: () => journal.actionCounts(), notificationStats: () => told.outbox.stats() });
  let server: StatusServer;
  try {
    server = await startStatusServer({ runtimeDir: runtimeDirectory(options, config), group: config.status.group, source, logger, clock });
  } catch (error) {
    logger.error(`cannot open the status sockets: ${(error as Error).message}`);
    await scheduler.stop(1000);
    await told.close();
    journal.close();
    return EXIT_UNAVAILABLE;
  }
  let metrics: MetricsListener | null = null;
  if (config.metrics.listen !== null) {
    const render = () => {
      const now = clock.now();
      return renderMetrics(buildStatusView(source.snapshot(now), now));
    };
    // Metrics are for people watching; a port in use must not keep the watchdog from the node.
    metrics = await startMetricsListener({ listen: config.metrics.listen, render, logger }).catch((error: Error) => {
      logger.error(`cannot listen for metrics on ${config.metrics.listen}: ${error.message}`);
      return null;
    });
  }
  const unwatch = Object.values(ports.probes).map((probe) => probe.watch?.((why) => scheduler.wake(why)) ?? (() => {}));
  await notifier.ready(statusLine(loop.state(), null));
  logger.info(`songnodes-watchdog started${config.dryRun ? " in dry-run mode: it records what it would do and does nothing" : ""}`, { bootId, stateDir, statusSocket: server.statusPath });

  const timers: NodeJS.Timeout[] = [];
  const watchdogEvery = watchdogIntervalMs(options.env);
  if (watchdogEvery !== null) {
    // WATCHDOG=1 only while the loop is alive: a hung loop gets killed and restarted by systemd.
    timers.push(setInterval(() => void (scheduler.alive() ? notifier.watchdog() : undefined), watchdogEvery));
  }
  const prune = () => {
    try {
      const gone = journal.prune(clock.now(), { retentionMs: config.journal.retention, maxBytes: config.journal.maxBytes });
      if (gone > 0) logger.info(`journal pruned: ${gone} old rows removed`);
    } catch (error) {
      logger.warn(`journal prune failed: ${(error as Error).message}`);
    }
  };
  prune();
  timers.push(setInterval(prune, config.journal.pruneEvery));

  let stopping: Promise<number> | null = null;
  const stop = (why: string): Promise<number> => {
    stopping ??= (async () => {
      logger.info(`stopping (${why}) in phase ${loop.state().phase}`);
      await notifier.stopping();
      for (const timer of timers) clearInterval(timer);
      for (const off of unwatch) off();
      stopController.abort();
      await scheduler.stop(STOP_GRACE_MS);
      await server.close();
      await metrics?.close();
      await told.close();
      await ports.close();
      journal.recordNote("info", `stopped:${clock.now()}`, `daemon stopped (${why}) in phase ${loop.state().phase}`, clock.now());
      journal.close();
      return 0;
    })();
    return stopping;
  };
  return { loop, scheduler, server, stop };
}

/** Run until SIGTERM/SIGINT; returns the exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const daemon = await startDaemon(options);
  if (typeof daemon === "number") return daemon;
  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      // Whatever happens, never hold up the node's shutdown.
      setTimeout(() => process.exit(0), STOP_GRACE_MS + 1500).unref();
      void daemon.stop(signal).then(resolve);
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
}
