import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger, RunCommand } from "../../src/ports.js";
import { createNotifier, watchdogIntervalMs } from "../../src/systemd/notify.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** A real NOTIFY_SOCKET: a unix datagram socket bound by a python3 receiver that prints each datagram. */
async function startReceiver(dir: string) {
  const path = join(dir, "notify.sock");
  const child = spawn("python3", [join(fixtures, "notify-receiver.py"), path], { stdio: ["ignore", "pipe", "inherit"] });
  const datagrams: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = "";
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`notify receiver exited (${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line === "listening") resolve();
        else datagrams.push(JSON.parse(line) as string);
        waiters.splice(0).forEach((wake) => wake());
      }
    });
  });
  return {
    path,
    child,
    /** Resolves once `count` datagrams have arrived (the test's timeout bounds the wait). */
    async received(count: number): Promise<string[]> {
      while (datagrams.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return datagrams.slice();
    },
  };
}

/** A Logger written by hand that keeps debug messages. */
function recordingLogger(): Logger & { debugs: string[] } {
  const debugs: string[] = [];
  const ignore = () => {};
  return { debugs, debug: (message) => debugs.push(message), info: ignore, warn: ignore, error: ignore };
}

describe("sd_notify through systemd-notify", () => {
  let dir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "songnodes-notify-"));
    receiver = await startReceiver(dir);
  });
  afterEach(async () => {
    const child: ChildProcess = receiver.child;
    child.removeAllListeners("exit");
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await gone;
    rmSync(dir, { recursive: true, force: true });
  });

  it("READY=1 with the phase, STATUS=, WATCHDOG=1 and STOPPING=1 reach the NOTIFY_SOCKET", async () => {
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: receiver.path } });
    await notifier.ready("waiting-for-k3s: k3s.service is activating");
    await notifier.status("healthy");
    await notifier.watchdog();
    await notifier.stopping();
    expect(await receiver.received(4)).toEqual([
      "READY=1\nSTATUS=waiting-for-k3s: k3s.service is activating",
      "STATUS=healthy",
      "WATCHDOG=1",
      "STOPPING=1",
    ]);
  });

  it("a status with a newline stays one STATUS= line", async () => {
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: receiver.path } });
    await notifier.status("gave-up: k3s-down\nrestart budget spent");
    expect(await receiver.received(1)).toEqual(["STATUS=gave-up: k3s-down; restart budget spent"]);
  });
});

describe("sd_notify failures never reach the loop", () => {
  it("outside systemd (NOTIFY_SOCKET unset) nothing is run at all", async () => {
    const calls: string[][] = [];
    const runCommand: RunCommand = async (argv) => {
      calls.push([...argv]);
      throw new Error("must not run");
    };
    const notifier = createNotifier({ env: {}, runCommand });
    await notifier.ready("starting");
    await notifier.watchdog();
    expect(calls).toEqual([]);
  });

  it("a missing systemd-notify is logged at debug and the call resolves", async () => {
    const logger = recordingLogger();
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: "/run/nowhere.sock" }, program: "/nonexistent/systemd-notify", logger });
    await expect(notifier.watchdog()).resolves.toBeUndefined();
    expect(logger.debugs).toHaveLength(1);
    expect(logger.debugs[0]).toMatch(/^sd_notify WATCHDOG=1 not delivered: .*ENOENT/);
  });

  it("a systemd-notify that hangs is killed at its timeout and the call resolves", async () => {
    const logger = recordingLogger();
    const notifier = createNotifier({
      env: { NOTIFY_SOCKET: "/run/nowhere.sock" },
      program: join(fixtures, "hanging-notify.mjs"),
      timeoutMs: 300,
      logger,
    });
    await expect(notifier.stopping()).resolves.toBeUndefined();
    expect(logger.debugs[0]).toMatch(/^sd_notify STOPPING=1 not delivered: timed out after 300ms/);
  });

  it("a RunCommand that throws is caught too", async () => {
    const logger = recordingLogger();
    const runCommand: RunCommand = async () => {
      throw new Error("EMFILE: too many open files");
    };
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: "/run/x.sock" }, runCommand, logger });
    await expect(notifier.ready("starting")).resolves.toBeUndefined();
    expect(logger.debugs[0]).toMatch(/EMFILE/);
  });
});

describe("the watchdog interval", () => {
  it.each([
    [{ WATCHDOG_USEC: "30000000" }, 15_000],
    [{ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "4242" }, 15_000],
    [{ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "1" }, null],
    [{ WATCHDOG_USEC: "0" }, null],
    [{ WATCHDOG_USEC: "soon" }, null],
    [{}, null],
  ])("%j → ping every %s ms (half of WatchdogSec, only for our own PID)", (env, expected) => {
    expect(watchdogIntervalMs(env, 4242)).toBe(expected);
  });
});
