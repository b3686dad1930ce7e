// `songnodes-watchdog run`: start-up, the schedule, systemd's notifications and a clean stop.
// Start-up order matters: the journal first (a dead daemon's actions are marked interrupted before
// anything else happens), then the sockets, then READY=1, then the first iteration.
import { existsSync } from "node:fs";
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from "../cli/exit-codes.js";
import { loadConfig, ConfigError } from "../config/load.js";
import { checkRootPrograms } from "../config/root-programs.js";
import type { Config } from "../config/schema.js";
import { readBootId } from "../host/boot-id.js";
import { bootStartedAt, readUptimeMs } from "../host/boot-time.js";
import { JournalVersionError } from "../journal/index.js";
import type { Journal } from "../journal/types.js";
import { createLogger } from "../log/logger.js";
import { systemClock, type Clock, type Logger, type Notifier } from "../ports.js";
import { controlSocketPath, statusSocketPath } from "../status/paths.js";
import { startStatusServer, type StatusServer } from "../status/server.js";
import { UnsafeRuntimeDirError } from "../status/socket-file.js";
import { prepareChannels } from "../notifications/start-notifications.js";
import { SecretError } from "../notifications/secrets.js";
import { startMetricsListener, type MetricsListener } from "../status/metrics-listener.js";
import { renderMetrics } from "../status/metrics.js";
import { buildStatusView } from "../status/status-view.js";
import { createNotifier, watchdogIntervalMs } from "../systemd/notify.js";
import { findingNotification } from "../maintenance/notify-findings.js";
import { maintenanceWillRun, startMaintenance, type RunningMaintenance } from "../maintenance/start.js";
import { createLoop, type Loop } from "./loop.js";
import { finishInterruptedRemedy } from "./finish-interrupted-remedy.js";
import { openJournalAtStart } from "./journal-at-start.js";
import { startJournalUpkeep } from "./journal-upkeep.js";
import { startNotificationsOrNot } from "./notifications-at-start.js";
import { startScheduler, type Scheduler } from "./scheduler.js";
import { sourceWhenJournalFails } from "./source-when-journal-fails.js";
import { createStatusSource } from "./status-source.js";
import { buildRealPorts, type RealPorts } from "./wiring.js";
import { createCheckRunner } from "../runbook-checks/check-runner.js";
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
  /** For tests: where log lines go instead of stdout. */
  logger?: Logger;
  clock?: Clock;
}

export interface RunningDaemon {
  loop: Loop;
  scheduler: Scheduler;
  server: StatusServer;
  /** Stop cleanly: the exit code to use. */
  stop(why: string): Promise<number>;
  /** Resolves with an exit code when the daemon stopped itself so that systemd restarts it. */
  exitRequested: Promise<number>;
}

// Exit code after the daemon stopped itself over a corrupt journal: not 0, so Restart= brings it back.
const EXIT_JOURNAL_CORRUPT = 1;

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
  const logger = options.logger ?? createLogger({ level: options.env.SONGNODES_WATCHDOG_DEBUG ? "debug" : "info", journald, ...(options.logFormat ? { pretty: options.logFormat === "text" } : {}) });
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
  const programs = checkRootPrograms(config);
  for (const line of programs.missing) logger.warn(line);
  if (programs.refused.length > 0) {
    logger.error(`invalid configuration, not starting: ${programs.refused.join("; ")}`);
    return EXIT_CONFIG;
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
  const uptimeMs = readUptimeMs();
  let opened: ReturnType<typeof openJournalAtStart>;
  try {
    opened = openJournalAtStart(stateDir, config, clock, uptimeMs, logger);
  } catch (error) {
    // A journal written by a newer release (after a downgrade): restarting will not help, so
    // EX_CONFIG, which the unit's RestartPreventExitStatus=78 does not retry.
    if (error instanceof JournalVersionError) {
      logger.error(`not starting: ${error.message}`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  const journal: Journal = opened.journal;
  const told = startNotificationsOrNot({ config, journalPath: opened.path, channels, clock, logger });
  const bootId = readBootId();
  const ports = options.ports ?? buildRealPorts(config, logger, clock);
  const notifier: Notifier = createNotifier({ env: options.env, runCommand: ports.runCommand, logger });
  const stopController = new AbortController();
  let requestExit: (code: number) => void = () => {};
  const exitRequested = new Promise<number>((resolve) => (requestExit = resolve));
  // Before the loop marks it interrupted and judges k3s: a killall cut short must not leave k3s down.
  if (ports.systemd && !config.dryRun) await finishInterruptedRemedy({ journal, systemd: ports.systemd, unit: config.k3s.unit, logger, now: clock.now() });
  const startedAt = clock.now();
  const bootStart = bootStartedAt(startedAt, uptimeMs);
  // The resilience audit runs in the maintenance scheduler (weekly, after each rollout) when there is one.
  const auditScheduled = maintenanceWillRun(config, ports.maintenance, journal).audit;
  const runbookChecks = (ports.checks ?? []).filter((check) => !(auditScheduled && check.name === "audit"));
  const checks = createCheckRunner({ checks: runbookChecks, journal, logger, clock, timeoutMs: config.checks.timeout });
  const observe = told.notifications?.observe;
  // Started after the loop (it reads the boot the loop records); told the phase from then on.
  let maintenance: RunningMaintenance | null = null;
  const loop = createLoop({ config, probes: ports.probes, actions: ports.actions, logger, clock, bootId, bootStartedAt: bootStart, journal, notifier, stop: stopController.signal,
    notifications: (report, state) => { observe?.(report, state); checks.observePhase(report.phase); maintenance?.observePhase(report.phase); } });
  // Test-only: the system tests prove WatchdogSec= by making the loop hang while the process lives.
  const hangFile = options.env.SONGNODES_WATCHDOG_TEST_HANG_FILE;
  const scheduler = startScheduler({
    loop, clock, logger, tickMs: config.timing.tick, probeTimeoutMs: config.timing.probeTimeout,
    hang: hangFile ? () => existsSync(hangFile) : undefined,
    onTrouble: (trouble) => {
      const line = `iterations failing (${trouble.failures} in a row): ${trouble.lastError}; no remedy is taken while they fail${trouble.restartHelps ? "" : "; a restart would not help, so the watchdog is kept fed"}`;
      logger.error(line);
      void notifier.status(`trouble: ${line}`);
    },
    onRecovered: (trouble) => {
      logger.info(`iterations work again after ${trouble.failures} failures (${trouble.lastError})`);
      void notifier.status(statusLine(loop.state(), null));
    },
  });
  maintenance = startMaintenance({ config, ports: ports.maintenance, journal, clock, logger });
  maintenance?.observePhase(loop.state().phase);
  maintenance?.runner.onFinding((finding) => {
    const event = findingNotification(finding);
    if (event) told.notifications?.queue(event);
  });
  const source = sourceWhenJournalFails(
    createStatusSource({ loop, config, bootId, bootStartedAt: bootStart, startedAt, clock, wake: (why) => scheduler.wake(why), actionCounts: () => journal.actionCounts(), notificationStats: () => told.stats(), maintenance: maintenance?.runner }),
    { loop, logger, clock, wake: (why) => scheduler.wake(why), trouble: () => scheduler.trouble() },
  );
  let server: StatusServer;
  const runtimeDir = runtimeDirectory(options, config);
  try {
    server = await startStatusServer({ runtimeDir, group: config.status.group, source, journalPath: opened.path, logger, clock });
  } catch (error) {
    if (error instanceof UnsafeRuntimeDirError) {
      // A local user must not be able to switch the watchdog off by planting a directory: the node
      // stays protected, only the sockets are missing until an operator fixes the directory.
      logger.error(`not serving status.sock and control.sock: ${error.message}; the watchdog keeps protecting the node; fix the directory (root-owned, mode 0755, not a symlink) and restart the daemon`);
      server = { statusPath: statusSocketPath(runtimeDir), controlPath: controlSocketPath(runtimeDir), close: async () => {} };
    } else {
      logger.error(`cannot open the status sockets: ${(error as Error).message}`);
      await maintenance?.stop(1000);
      await scheduler.stop(1000);
      await told.close();
      journal.close();
      return EXIT_UNAVAILABLE;
    }
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
  timers.push(startJournalUpkeep({
    journal, path: opened.path, config, logger, clock,
    onCorrupt: (why) => void stop(why).then(() => requestExit(EXIT_JOURNAL_CORRUPT)),
  }));
  // The runbook checks also run on their own cadence (and once each time the node becomes healthy).
  timers.push(setInterval(() => void checks.runAll("every checks.every"), config.checks.every));

  let stopping: Promise<number> | null = null;
  const stop = (why: string): Promise<number> => {
    stopping ??= (async () => {
      logger.info(`stopping (${why}) in phase ${loop.state().phase}`);
      await notifier.stopping();
      for (const timer of timers) clearInterval(timer);
      for (const off of unwatch) off();
      checks.close();
      stopController.abort();
      await Promise.all([scheduler.stop(STOP_GRACE_MS), maintenance?.stop(STOP_GRACE_MS)]);
      await server.close();
      await metrics?.close();
      await told.close();
      await ports.close();
      try {
        journal.recordNote("info", `stopped:${clock.now()}`, `daemon stopped (${why}) in phase ${loop.state().phase}`, clock.now());
        journal.close();
      } catch (error) {
        logger.warn(`could not record the stop in the journal: ${(error as Error).message}`);
      }
      return 0;
    })();
    return stopping;
  };
  return { loop, scheduler, server, stop, exitRequested };
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
    void daemon.exitRequested.then(resolve);
  });
}
