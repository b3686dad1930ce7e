// Shared set-up for the socket tests: a temp runtime dir, a real journal file, the fake source and
// the server on real unix sockets; `cleanup()` removes all of it.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJournal } from "../../src/journal/index.js";
import type { Journal } from "../../src/journal/types.js";
import type { Logger } from "../../src/ports.js";
import { startStatusServer, type ServerLimits, type StatusServer } from "../../src/status/server.js";
import { createFakeSource, type FakeSource } from "./fake-source.js";

export const BOOT_ID = "5b1f3c2e-9a4d-4e7b-8c61-0f2d3a4b5c6d";

/** A logger that keeps what was said, for assertions. */
export function createMemoryLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const log = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export interface Harness {
  dir: string;
  runtimeDir: string;
  journalPath: string;
  journal: Journal;
  source: FakeSource;
  server: StatusServer;
  clock: { now(): number; advance(ms: number): void };
  /** Stop the server and close the journal, keeping the files: a daemon restart's first half. */
  stop(): Promise<void>;
  /** Start again on the same files. */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Start a fake daemon's sockets in a fresh temp dir (traversable, so `nobody` can reach the socket). */
export async function startHarness(options: { group?: string; limits?: Partial<ServerLimits> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "snw-status-"));
  chmodSync(dir, 0o755);
  const runtimeDir = join(dir, "run");
  const journalPath = join(dir, "state", "journal.sqlite");
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  const startedAt = clock.now();
  const harness = {} as Harness;
  const start = async () => {
    harness.journal = openJournal(journalPath, clock);
    harness.source = createFakeSource(harness.journal, { bootId: BOOT_ID, startedAt, now: clock.now });
    harness.server = await startStatusServer({
      runtimeDir, group: options.group ?? "root", source: harness.source, logger: createMemoryLogger(), clock, limits: options.limits,
    });
  };
  Object.assign(harness, {
    dir, runtimeDir, journalPath, clock,
    stop: async () => {
      await harness.server.close();
      harness.journal.close();
    },
    restart: start,
    cleanup: async () => {
      await harness.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  });
  await start();
  return harness;
}
