// History readers against the daemon's loop, on a full-size journal. Builds a 64 MiB journal, times
// one history query of each shape, times quick_check (the periodic integrity check), then serves the
// journal on a real status socket while 8 client processes ask for /v1/history?limit=1000 back to
// back, and measures how late a 25 ms timer in the serving process runs: that timer stands for the
// daemon's loop, its watchdog and its tick. Twice: as the daemon serves a journal file (queries on
// the reader's own thread), and as it serves a journal kept in memory (on the loop's thread, paged).
// Run: npm run build && node dist/bench/history-readers.js
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openJournal } from "../src/journal/index.js";
import { quickCheckFile, quickCheckFileOffThread } from "../src/journal/open-or-recover.js";
import type { Journal } from "../src/journal/types.js";
import { startStatusServer } from "../src/status/server.js";
import { HISTORY_PAGE } from "../src/status/history-pages.js";
import type { StatusSource } from "../src/status/source.js";

const TARGET_BYTES = 64 * 1024 * 1024;
const READERS = 8;
const LOAD_MS = 10_000;
const TIMER_MS = 25;

const dir = mkdtempSync(join(tmpdir(), "swd-bench-history-"));
const path = join(dir, "journal.sqlite");
const now = Date.now();

function fill(): void {
  openJournal(path).close();
  const db = new Database(path);
  const observation = db.prepare("INSERT INTO observation_changes (at, probe, status, reason) VALUES (?, ?, ?, ?)");
  const note = db.prepare("INSERT INTO notes (at, level, key, message) VALUES (?, 'warning', ?, ?)");
  const action = db.prepare("INSERT INTO actions (kind, why, planned_at, started_at, finished_at, outcome, detail, touched, boot_id, dry_run) VALUES ('delete-pods', ?, ?, ?, ?, 'succeeded', ?, '[\"songnodes/rest-api-7d9f-abcde\"]', 'boot', 0)");
  const phase = db.prepare("INSERT INTO phase_transitions (at, from_phase, to_phase, why) VALUES (?, 'healthy', 'recovering', ?)");
  const reason = "pods: 3 of 34 pods not Running: songnodes/rest-api-7d9f-abcde ImagePullBackOff (localhost:5000/rest-api:1.4.2), songnodes/worker-5c8d-fghij CrashLoopBackOff";
  let i = 0;
  while (statSync(path).size < TARGET_BYTES) {
    db.transaction(() => {
      for (let n = 0; n < 20_000; n++, i++) {
        const at = now - 30 * 86_400_000 + i * 1_000;
        observation.run(at, "pods", i % 2 ? "bad" : "ok", reason);
        if (i % 10 === 0) note.run(at, `pod-budget:${i}`, reason);
        if (i % 20 === 0) action.run(reason, at, at, at + 200, "deleted 2 pods");
        if (i % 5 === 0) phase.run(at, reason);
      }
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
  }
  db.close();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function timeQueries(journal: Journal): [string, number][] {
  const shapes: [string, Parameters<Journal["history"]>[0]][] = [
    ["history limit=1000", { limit: 1000 }],
    ["history limit=50", { limit: 50 }],
    ["history kind=action limit=1000", { kind: "action", limit: 1000 }],
    ["history since=1h limit=1000", { since: now - 3_600_000, limit: 1000 }],
  ];
  return shapes.map(([name, filter]) => {
    const times: number[] = [];
    for (let run = 0; run < 30; run++) {
      const started = performance.now();
      journal.history(filter);
      times.push(performance.now() - started);
    }
    return [name, median(times)];
  });
}

/** The synchronous stretch of one history page on the serving thread: its query, then its JSON. */
const blocking: number[] = [];

function minimalSource(journal: Journal): StatusSource {
  const unused = () => {
    throw new Error("not used by this bench");
  };
  return {
    snapshot: unused, pause: unused, resume: unused, checkNow: unused,
    boots: (limit) => journal.boots(limit),
    history(filter) {
      const started = performance.now();
      const entries = journal.history(filter);
      // The route serialises the answer in the same turn of the event loop.
      JSON.stringify({ entries }, null, 2);
      blocking.push(performance.now() - started);
      return entries;
    },
  };
}

/** One tick of the timer: how late it fired, and how the thread spent the interval before it. */
interface Tick {
  late: number;
  /** The thread's time on a CPU in the interval: its own work can make it no later than this. */
  ran: number;
  /** Its time runnable but waiting for a CPU (the machine's other processes): schedstat's run delay. */
  waited: number;
}

// The serving (main) thread's schedstat: ns on a CPU, ns waiting on a run queue.
function schedstat(): [number, number] {
  const [ran, waited] = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ").map(Number);
  return [(ran ?? 0) / 1e6, (waited ?? 0) / 1e6];
}

/** A TIMER_MS timer that records each tick (clear `timer` to stop it). */
function latenessTimer(): { ticks: Tick[]; timer: NodeJS.Timeout } {
  const ticks: Tick[] = [];
  let expected = performance.now() + TIMER_MS;
  let [ran, waited] = schedstat();
  const timer = setInterval(() => {
    const at = performance.now();
    const [nowRan, nowWaited] = schedstat();
    ticks.push({ late: Math.max(0, at - expected), ran: nowRan - ran, waited: nowWaited - waited });
    [ran, waited, expected] = [nowRan, nowWaited, at + TIMER_MS];
  }, TIMER_MS);
  return { ticks, timer };
}

/** The timer's ticks with no reader at all: what the machine's own load costs. */
async function idleLateness(ms: number): Promise<Tick[]> {
  const { ticks, timer } = latenessTimer();
  await new Promise((resolve) => setTimeout(resolve, ms));
  clearInterval(timer);
  return ticks;
}

async function underLoad(journal: Journal, journalPath: string | null): Promise<{ ticks: Tick[]; answered: number; busy: number; busyShare: number }> {
  const server = await startStatusServer({
    runtimeDir: join(dir, "run"), group: "root", source: minimalSource(journal), journalPath,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  // The readers start together once all are up: a node process's own start-up is not what a reader
  // does to the daemon, so the measurement starts with them.
  const startAt = Date.now() + 2_000;
  const script = `
    import { request } from "node:http";
    const counts = { answered: 0, busy: 0 };
    const until = ${startAt} + ${LOAD_MS};
    const one = () => {
      if (Date.now() > until) { console.log(JSON.stringify(counts)); process.exit(0); }
      const req = request({ socketPath: ${JSON.stringify(server.statusPath)}, path: "/v1/history?limit=1000" }, (res) => {
        if (res.statusCode === 200) counts.answered++; else counts.busy++;
        res.resume();
        res.on("end", one);
      });
      req.on("error", () => setTimeout(one, 5));
      req.end();
    };
    setTimeout(one, ${startAt} - Date.now());`;
  const readers = Array.from({ length: READERS }, () => spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] }));
  const results = Promise.all(readers.map((child) => new Promise<{ answered: number; busy: number }>((resolve) => {
    let out = "";
    child.stdout!.on("data", (chunk) => (out += chunk));
    child.once("exit", () => resolve(JSON.parse(out || '{"answered":0,"busy":0}')));
  })));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const { ticks, timer } = latenessTimer();
  // How much of the time the serving thread itself was busy: what is not is the machine's doing.
  const utilization = performance.eventLoopUtilization();
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
  clearInterval(timer);
  const busyShare = performance.eventLoopUtilization(utilization).utilization;
  const counts = await results;
  await server.close();
  return { busyShare, ticks, answered: counts.reduce((sum, r) => sum + r.answered, 0), busy: counts.reduce((sum, r) => sum + r.busy, 0) };
}

const fillStarted = performance.now();
fill();
const size = statSync(path).size;
process.stderr.write(`journal filled to ${(size / 1048576).toFixed(1)} MiB in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`);
const journal = openJournal(path);
const queries = timeQueries(journal);
const checkStarted = performance.now();
const check = quickCheckFile(path);
const checkMs = performance.now() - checkStarted;
// The periodic check as the daemon runs it: on a worker thread, while the timer keeps its time.
const offStarted = performance.now();
let offMs = 0;
const [offCheck, duringCheckTicks] = await Promise.all([quickCheckFileOffThread(path).then((result) => ((offMs = performance.now() - offStarted), result)), idleLateness(1_500)]);
const duringCheck = duringCheckTicks.map((tick) => tick.late);
const idle = await idleLateness(5_000);
const offThread = await underLoad(journal, path);
const onLoop = await underLoad(journal, null);
journal.close();
rmSync(dir, { recursive: true, force: true });

console.log(`History readers on a ${(size / 1048576).toFixed(1)} MiB journal (Node ${process.version})`);
console.log("");
console.log("| one query's synchronous work, on whichever thread runs it | median of 30 |");
console.log("|---|---|");
for (const [name, ms] of queries) console.log(`| ${name} | ${ms.toFixed(2)} ms |`);
console.log(`| quick_check on the daemon's thread (start-up only) | ${checkMs.toFixed(0)} ms (${check.verdict}) |`);
console.log(`| quick_check on a worker thread (periodic, with pruning): wall time; timer lateness max meanwhile | ${offMs.toFixed(0)} ms (${offCheck.verdict}); ${Math.max(...duringCheck).toFixed(1)} ms |`);
console.log("");
const figures = (values: number[]) => `${percentile(values, 50).toFixed(1)} / ${percentile(values, 99).toFixed(1)} / ${Math.max(...values).toFixed(1)} ms (${values.filter((v) => v > 50).length} of ${values.length} over 50 ms)`;
// The thread's own share of a tick's lateness is at most its time on a CPU in that interval.
const own = (ticks: Tick[]) => figures(ticks.map((tick) => Math.min(tick.late, tick.ran)));
const queued = (ticks: Tick[]) => figures(ticks.map((tick) => tick.waited));
const rows: [string, Tick[]][] = [
  ["no reader (machine noise)", idle],
  [`${READERS} readers looping /v1/history?limit=1000 for ${LOAD_MS / 1000} s, journal file: queries on the reader's thread`, offThread.ticks],
  [`the same through the path a journal kept in memory takes: queries on the loop's thread, pages of ${HISTORY_PAGE} lines`, onLoop.ticks],
];
console.log(`| ${TIMER_MS} ms timer (the loop's stand-in), p50 / p99 / max | lateness | at most its own work (on a CPU) | waiting for a CPU (run queue) |`);
console.log("|---|---|---|---|");
for (const [name, ticks] of rows) console.log(`| ${name} | ${figures(ticks.map((tick) => tick.late))} | ${own(ticks)} | ${queued(ticks)} |`);
console.log("");
console.log("| the readers' answers, 200 / 503 busy | |");
console.log("|---|---|");
console.log(`| journal file (reader's thread) | ${offThread.answered} / ${offThread.busy} |`);
console.log(`| the loop's-thread path | ${onLoop.answered} / ${onLoop.busy} |`);
console.log(`| the serving thread busy (event-loop utilisation), reader's thread / loop's-thread path | ${(offThread.busyShare * 100).toFixed(1)} % / ${(onLoop.busyShare * 100).toFixed(1)} % |`);
console.log(`| synchronous stretch per page on the loop's thread (query + JSON), the loop's-thread path, p50 / p99 / max | ${figures(blocking)} |`);
console.log(`| machine load average (1 min) during the run | ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores |`);
