import { closeSync, openSync, fstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { stdoutIsJournal } from "../../src/log/journal-stream.js";
import type { LoggerOptions } from "../../src/log/logger.js";

/** A logger writing into a real stream; `lines()` returns what came out. */
function capture(options: Omit<LoggerOptions, "destination">) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const logger = createLogger({ ...options, destination: stream });
  return { logger, lines: () => text.split("\n").filter((line) => line !== "") };
}

describe("logging under journald", () => {
  it("each line starts with the syslog priority, then the message, then the fields", () => {
    const { logger, lines } = capture({ level: "debug", journald: true });
    logger.debug("probing k3s.service");
    logger.info("phase waiting-for-api → waiting-for-nodes", { phase: "waiting-for-nodes" });
    logger.warn("restart-k3s: k3s.service failed for 45s", { kind: "restart-k3s", unit: "k3s.service" });
    logger.error("gave up on k3s-down: restart budget spent", { symptom: "k3s-down" });
    expect(lines()).toEqual([
      "<7>probing k3s.service",
      '<6>phase waiting-for-api → waiting-for-nodes {"phase":"waiting-for-nodes"}',
      '<4>restart-k3s: k3s.service failed for 45s {"kind":"restart-k3s","unit":"k3s.service"}',
      '<3>gave up on k3s-down: restart budget spent {"symptom":"k3s-down"}',
    ]);
  });

  it("a message with a newline stays one journal entry with its priority", () => {
    const { logger, lines } = capture({ level: "info", journald: true });
    logger.warn("k3s-killall.sh said:\nprocess not found", { exitCode: 1 });
    expect(lines()).toEqual(['<4>k3s-killall.sh said:\\nprocess not found {"exitCode":1}']);
  });

  it("a field called level or msg cannot change the line's priority or message", () => {
    const { logger, lines } = capture({ level: "info", journald: true });
    logger.error("registry restart failed", { level: "info", msg: "other", time: 1 });
    expect(lines()).toEqual(['<3>registry restart failed {"level_":"info","msg_":"other","time_":1}']);
  });

  it("an Error in a field keeps its message and stack", () => {
    const { logger, lines } = capture({ level: "info", journald: true });
    logger.error("probe crashed", { error: new Error("socket hang up") });
    const [line] = lines();
    expect(line).toMatch(/^<3>probe crashed \{"error":\{"type":"Error","message":"socket hang up","stack":"Error: socket hang up\\n/);
  });

  it("lines below the level are not written", () => {
    const { logger, lines } = capture({ level: "warn", journald: true });
    logger.debug("noise");
    logger.info("noise");
    logger.warn("kept");
    expect(lines()).toEqual(["<4>kept"]);
  });
});

describe("logging outside systemd", () => {
  it("writes pino JSON lines with the message under msg", () => {
    const { logger, lines } = capture({ level: "info", journald: false, pretty: false });
    logger.warn("registry down", { container: "exited" });
    const record = JSON.parse(lines()[0] ?? "{}") as Record<string, unknown>;
    expect(record).toMatchObject({ level: 40, msg: "registry down", container: "exited", pid: process.pid });
    expect(typeof record.time).toBe("number");
  });

  it("writes readable lines for a person at a terminal", () => {
    const { logger, lines } = capture({ level: "info", journald: false, pretty: true });
    logger.info("healthy", { phase: "healthy" });
    expect(lines()[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  healthy \{"phase":"healthy"\}$/);
  });
});

describe("is stdout journald's stream?", () => {
  let dir: string;
  let fd: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "songnodes-log-"));
    fd = openSync(join(dir, "stdout"), "w");
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("yes when JOURNAL_STREAM names this descriptor's device and inode", () => {
    const stat = fstatSync(fd, { bigint: true });
    expect(stdoutIsJournal({ JOURNAL_STREAM: `${stat.dev}:${stat.ino}` }, fd)).toBe(true);
  });

  it("lines reach a file descriptor synchronously through pino's own destination, as stdout would", () => {
    const path = join(dir, "daemon.log");
    const file = pino.destination({ dest: path, sync: true });
    const logger = createLogger({ level: "info", journald: true, destination: file });
    logger.warn("restart-registry: registry container exited", { container: "registry" });
    file.destroy();
    expect(readFileSync(path, "utf8")).toBe('<4>restart-registry: registry container exited {"container":"registry"}\n');
  });

  it("no when JOURNAL_STREAM was inherited but stdout goes elsewhere, or is unset or malformed", () => {
    const stat = fstatSync(fd, { bigint: true });
    expect(stdoutIsJournal({ JOURNAL_STREAM: `${stat.dev}:${stat.ino + 1n}` }, fd)).toBe(false);
    expect(stdoutIsJournal({}, fd)).toBe(false);
    expect(stdoutIsJournal({ JOURNAL_STREAM: "garbage" }, fd)).toBe(false);
  });
});
