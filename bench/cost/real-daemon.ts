// The real daemon's cost, measured from outside: for each pod count, `simulate --serve --pods N`
// at speed 1 in its own process group, then the built `run` as a child with NOTIFY_SOCKET on a
// receiver of ours. Start-up is timed from the spawn to READY=1 and to `healthy` on the status
// socket; after a warm-up, one window with nothing happening on the node gives CPU (/proc stat),
// peak RSS (VmHWM), API requests (the simulated API server's counters), CPU per loop iteration and
// the journal's growth. Every process group is stopped at the end, also on failure.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseDocument } from "yaml";
import { join } from "node:path";
import { askDaemon } from "../../src/status/client.js";
import type { ApiRequestCounts } from "../../src/sim/kube/api-server.js";
import { startNotifyReceiver } from "./notify-receiver.js";
import { killLiveGroups, startGroupProcess } from "./process-group.js";
import { readCpuTimes, readMemoryUse } from "./proc-stats.js";

/** What one pod count cost; `error` instead when the run could not be measured. */
export interface ProcessCost {
  pods: number;
  error?: string;
  readyMs?: number;
  healthyMs?: number;
  /** The daemon's CPU from its spawn to READY=1 (read just after READY=1 arrived). */
  startupCpuMs?: number;
  windowMs?: number;
  cpuMsPerMin?: number;
  cpuPercentOfCore?: number;
  childCpuMsPerMin?: number;
  peakRssMB?: number;
  rssMB?: number;
  apiPerMin?: ApiRequestCounts & { total: number };
  /** Requests from the daemon's spawn to the window's start (start-up, first list and watches, warm-up). */
  apiBeforeWindow?: ApiRequestCounts;
  /** Loop iterations in the window: the daemon's own count (`lastIteration.count`); a build that
   * does not publish it is counted by its /readyz requests, one per iteration before issue 17. */
  iterations?: number;
  /** Probes read per iteration in the window, of 7 (the rest let their ok reading stand); null when not published. */
  probesReadMean?: number | null;
  cpuPerIterationMs?: number;
  /** The daemon's own figure (status lastIteration): median time in the core's step(), and per iteration. */
  decideMsMedian?: number;
  iterationMsMedian?: number;
  journalBytesInWindow?: number;
  /** journalBytesInWindow scaled from the window to 24 h: an extrapolation of an idle stretch. */
  journalBytesPerDayIdle?: number;
  phaseAtEnd?: string;
}

/** How the daemon process is started: which Node, which V8 flags, which built code. */
export interface DaemonLaunch {
  /** Default: the bench's own Node (process.execPath). */
  node?: string;
  /** Placed before the script, as the package's launcher does. */
  nodeFlags?: string[];
  /** Default: the repository's dist/src/cli.js. */
  cli?: string;
}

export interface RealDaemonOptions {
  /** The repository: dist/src/cli.js is run from here. */
  root: string;
  launch?: DaemonLaunch;
  counts: number[];
  warmUpMs?: number;
  windowMs?: number;
  progress?: (line: string) => void;
  /**
   * Maintenance as served (absent: the default schedules, daily to monthly, whose first catch-up
   * comes 10 min after start, past the window), off (`maintenance.enabled: false`), or every check
   * every minute from the start (the "maintenance on" row).
   */
  maintenance?: "off" | "every-minute";
}

// A node clock with no CronJob due for 32 node minutes (gold-to-operational runs at :17): the
// window is idle on purpose.
const START_AT = "2025-11-14T10:45:00Z";
// How often the warm-up asks the daemon for its last iteration: once per tick (5 s) sees nearly
// every iteration. The window itself asks nothing.
const STATUS_POLL_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson(socketPath: string, path: string): Promise<Record<string, unknown> | null> {
  try {
    const answer = await askDaemon({ socketPath, method: "GET", path, timeoutMs: 5_000 });
    return answer.status === 200 ? (answer.body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The daemon's own count of iterations, or null from a build that does not publish it. */
async function iterationCount(statusSocket: string): Promise<number | null> {
  const last = (await getJson(statusSocket, "/v1/status"))?.lastIteration as { count?: number } | null | undefined;
  return typeof last?.count === "number" ? last.count : null;
}

async function waitForPhase(statusSocket: string, phase: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    const view = await getJson(statusSocket, "/v1/status");
    last = view?.phase ?? last;
    if (view?.phase === phase) return Date.now();
    await sleep(50);
  }
  throw new Error(`not ${phase} within ${timeoutMs} ms (last phase ${String(last)})`);
}

const median = (values: number[]) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

// Maintenance at its most expensive: every check every minute from the start, so the idle window
// holds at least one run of each (the defaults run them once a day, week or month). The served
// config's own maintenance keys stay (the disk check reads the simulated host's file systems).
const MAINTENANCE_EVERY_MINUTE: [string[], unknown][] = [
  [["maintenance", "catchUpDelay"], "0s"],
  [["maintenance", "schedules"], { daily: "* * * * *", weekly: "* * * * *", monthly: "* * * * *", samples: "* * * * *" }],
];
const MAINTENANCE_OFF: [string[], unknown][] = [[["maintenance", "enabled"], false]];

/** Set `keys` in the YAML file at `path`, keeping everything else it says. */
function setInYaml(path: string, keys: [string[], unknown][]): void {
  const document = parseDocument(readFileSync(path, "utf8"));
  for (const [at, value] of keys) document.setIn(at, value);
  writeFileSync(path, String(document));
}

async function measureOne(root: string, pods: number, warmUpMs: number, windowMs: number, maintenance: RealDaemonOptions["maintenance"], launch: DaemonLaunch = {}): Promise<ProcessCost> {
  const dir = mkdtempSync(join(tmpdir(), "songnodes-bench-cost-"));
  const stops: (() => Promise<void>)[] = [];
  const cli = join(root, "dist", "src", "cli.js");
  const env = { ...process.env };
  delete env.JOURNAL_STREAM;
  delete env.NOTIFY_SOCKET;
  delete env.SONGNODES_WATCHDOG_DEBUG;
  try {
    const receiver = await startNotifyReceiver(dir);
    stops.push(() => receiver.stop());
    const nodeDir = join(dir, "node");
    const serve = startGroupProcess([process.execPath, cli, "simulate", "--serve", "--out", nodeDir, "--pods", String(pods), "--start-at", START_AT], env, root);
    stops.push(() => serve.stop());
    await serve.waitFor(/Ctrl-C stops it/, 60_000);
    const control = join(nodeDir, "sim-control.sock");
    const statusSocket = join(nodeDir, "run", "status.sock");
    const journal = join(dir, "state", "journal.sqlite");
    const config = join(nodeDir, "watchdog.yaml");
    if (maintenance === "every-minute") setInYaml(config, MAINTENANCE_EVERY_MINUTE);
    if (maintenance === "off") setInYaml(config, MAINTENANCE_OFF);
    const daemon = startGroupProcess(
      [launch.node ?? process.execPath, ...(launch.nodeFlags ?? []), launch.cli ?? cli, "run", "--config", join(nodeDir, "watchdog.yaml"), "--state-dir", join(dir, "state"), "--runtime-dir", join(nodeDir, "run")],
      { ...env, NOTIFY_SOCKET: receiver.path }, root,
    );
    stops.push(() => daemon.stop());
    const fail = (what: string) => (error: unknown) => {
      throw new Error(`${what}: ${(error as Error).message}\n--- daemon ---\n${daemon.output().slice(-2000)}`);
    };
    const ready = await receiver.ready(30_000).catch(fail("no READY=1"));
    const startupCpu = readCpuTimes(daemon.pid);
    // healthyHold (1 min by default) must pass before the phase is healthy: that wait is the warm-up.
    const healthyAt = await waitForPhase(statusSocket, "healthy", 150_000).catch(fail("daemon not healthy"));
    // The daemon publishes each iteration's decision time and duration (GET /v1/status, lastIteration):
    // sampled through the warm-up, once per tick, so that nobody asks the daemon anything during the
    // window (each status request costs it ~3 ms at 5,000 pods, as much as a quiet iteration).
    const iterationsSeen = new Map<number, { decideMs: number; durationMs: number; probesRead?: number }>();
    const warmUpEnd = Date.now() + warmUpMs;
    while (Date.now() < warmUpEnd) {
      const last = (await getJson(statusSocket, "/v1/status"))?.lastIteration as { at: number; decideMs: number; durationMs: number; probesRead?: number } | null | undefined;
      if (last) iterationsSeen.set(last.at, { decideMs: last.decideMs, durationMs: last.durationMs, probesRead: last.probesRead });
      await sleep(Math.min(STATUS_POLL_MS, Math.max(0, warmUpEnd - Date.now())));
    }

    const sample = async () => ({
      at: Date.now(),
      cpu: readCpuTimes(daemon.pid),
      node: (await getJson(control, "/v1/node")) as { pods?: number; apiRequests?: ApiRequestCounts } | null,
      journalBytes: fileSize(journal) + fileSize(`${journal}-wal`),
    });
    // The iteration count is asked just outside the window, so the window holds no request to the daemon.
    const countAtStart = await iterationCount(statusSocket);
    const before = await sample();
    await sleep(windowMs);
    const after = await sample();
    const countAtEnd = await iterationCount(statusSocket);
    const memory = readMemoryUse(daemon.pid);
    const phaseAtEnd = String((await getJson(statusSocket, "/v1/status"))?.phase ?? "unknown");
    const a = before.node?.apiRequests;
    const b = after.node?.apiRequests;
    if (!a || !b) throw new Error("the served node's control socket gave no request counts");

    const elapsed = after.at - before.at;
    const perMin = (n: number) => (n * 60_000) / elapsed;
    const ownMs = after.cpu.ownMs - before.cpu.ownMs;
    const delta = Object.fromEntries(Object.entries(b).map(([kind, n]) => [kind, n - a[kind as keyof ApiRequestCounts]])) as unknown as ApiRequestCounts;
    const total = Object.values(delta).reduce((sum, n) => sum + n, 0);
    const journalBytesInWindow = after.journalBytes - before.journalBytes;
    const iterations = countAtStart !== null && countAtEnd !== null ? countAtEnd - countAtStart : delta.readyz;
    const probesRead = [...iterationsSeen.values()].flatMap((i) => (i.probesRead === undefined ? [] : [i.probesRead]));
    return {
      pods: after.node?.pods ?? pods,
      readyMs: ready.at - daemon.spawnedAt,
      healthyMs: healthyAt - daemon.spawnedAt,
      startupCpuMs: startupCpu.ownMs,
      windowMs: elapsed,
      cpuMsPerMin: perMin(ownMs),
      cpuPercentOfCore: (ownMs / elapsed) * 100,
      childCpuMsPerMin: perMin(after.cpu.childrenMs - before.cpu.childrenMs),
      peakRssMB: (memory.peakKiB * 1024) / 1e6,
      rssMB: (memory.currentKiB * 1024) / 1e6,
      apiBeforeWindow: a,
      apiPerMin: { ...(Object.fromEntries(Object.entries(delta).map(([kind, n]) => [kind, perMin(n)])) as unknown as ApiRequestCounts), total: perMin(total) },
      iterations,
      probesReadMean: probesRead.length > 0 ? probesRead.reduce((sum, n) => sum + n, 0) / probesRead.length : null,
      cpuPerIterationMs: iterations > 0 ? ownMs / iterations : Number.NaN,
      decideMsMedian: median([...iterationsSeen.values()].map((i) => i.decideMs)),
      iterationMsMedian: median([...iterationsSeen.values()].map((i) => i.durationMs)),
      journalBytesInWindow,
      journalBytesPerDayIdle: (journalBytesInWindow * 86_400_000) / elapsed,
      phaseAtEnd,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measure each pod count in turn; a count that fails is reported with its error, the others still run. */
export async function measureRealDaemon(options: RealDaemonOptions): Promise<ProcessCost[]> {
  // After healthy, the runbook checks run once (at 5,000 pods they cost the daemon ~0.9 s of CPU)
  // and V8 compacts the heap about a minute later: one-offs of becoming healthy, not idle. The
  // warm-up outlasts both; the window is a minute with nothing happening.
  const warmUpMs = options.warmUpMs ?? 75_000;
  const windowMs = options.windowMs ?? 60_000;
  // Ctrl-C during the run: the detached groups would outlive us, so kill them before exiting.
  const interrupted = (signal: NodeJS.Signals) => {
    killLiveGroups();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", interrupted);
  process.on("SIGTERM", interrupted);
  try {
    const results: ProcessCost[] = [];
    for (const pods of options.counts) {
      const started = Date.now();
      const result = await measureOne(options.root, pods, warmUpMs, windowMs, options.maintenance, options.launch).catch((error: unknown): ProcessCost => ({ pods, error: (error as Error).message }));
      results.push(result);
      options.progress?.(`cost: real daemon at ${pods} pods ${result.error ? `failed: ${result.error.split("\n")[0]}` : "done"} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    return results;
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}
