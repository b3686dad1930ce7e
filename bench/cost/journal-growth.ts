// SQLite growth per simulated day: the real loop with a real journal file runs one day of node
// time on the virtual clock (a healthy node whose CronJobs run every hour, one k3s crash and one
// registry outage), and the file's size (with its WAL) is read before and after.
import { mkdtempSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseScenario } from "../../src/sim/scenario/load.js";
import { daemonContender } from "../recovery/daemon-contender.js";
import { drive } from "../recovery/drive.js";

/** Bytes the journal grew over one simulated day, with what happened in it. */
export interface JournalGrowth {
  bytesPerDay: number;
  startBytes: number;
  endBytes: number;
  day: string;
  wallMs: number;
}

const DAY = parseScenario({
  name: "bench-one-day", description: "one day of a healthy node with one k3s crash and one registry outage", runbook: "bench",
  duration: "24h", start: "healthy",
  faults: [{ at: "6h", fault: "k3s-killed" }, { at: "12h", fault: "registry-down" }],
  expect: {},
}, "bench");

const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/** Run the day and measure. */
export async function measureJournalGrowth(): Promise<JournalGrowth> {
  const dir = mkdtempSync(join(tmpdir(), "songnodes-bench-journal-"));
  try {
    const path = join(dir, "journal.sqlite");
    const contender = daemonContender(5_000, path);
    const run = await drive(DAY, contender);
    const endBytes = size(path) + size(`${path}-wal`);
    // A fresh journal's size: the schema alone, opened the same way.
    const fresh = join(dir, "fresh.sqlite");
    const { openJournal } = await import("../../src/journal/index.js");
    openJournal(fresh, { now: () => 0 }).close();
    const startBytes = size(fresh) + size(`${fresh}-wal`);
    return { bytesPerDay: endBytes - startBytes, startBytes, endBytes, day: DAY.description, wallMs: run.wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
