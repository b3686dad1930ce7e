// The built daemon (dist/src/cli.js `run`) on a private D-Bus whose systemd1 stand-in serves a fake
// k3s.service, every other face absent: the hardening tests drive the real process, kill it, fill
// its disk or corrupt its journal, and read its sockets.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPrivateBus, type PrivateBus } from "../../src/sim/systemd1/private-bus.js";
import { serveSystemd1, type ServedSystemd1 } from "../../src/sim/systemd1/serve.js";
import type { UnitDriver } from "../../src/sim/systemd1/unit-driver.js";
import { builtCli } from "../e2e/built-cli.js";

/** A fake node: the private bus with its units, and a directory for the daemons' files. */
export interface FakeHost {
  dir: string;
  busAddress: string;
  /** The config lines every daemon here shares (bus, absent faces); add your own after them. */
  baseConfig: string;
  close(): Promise<void>;
}

/** Start a private bus serving `units` in a fresh temp dir. */
export async function startFakeHost(units: UnitDriver[]): Promise<FakeHost> {
  const dir = mkdtempSync(join(tmpdir(), "swd-built-"));
  mkdirSync(join(dir, "bus"));
  const bus: PrivateBus = await startPrivateBus(join(dir, "bus"));
  const served: ServedSystemd1 = await serveSystemd1(bus.address, units);
  const baseConfig = [
    `dbus: { address: "${bus.address}" }`,
    `k3s: { kubeconfig: ${join(dir, "absent.yaml")}, containerdSocket: ${join(dir, "absent.sock")}, journalctl: /bin/true, containerdLog: ${join(dir, "absent.log")} }`,
    `registry: { dockerSocket: ${join(dir, "absent-docker.sock")}, endpoint: "http://127.0.0.1:9" }`,
  ].join("\n");
  return {
    dir,
    busAddress: bus.address,
    baseConfig,
    async close() {
      await served.close();
      await bus.stop();
    },
  };
}

/** One running daemon process and what it printed. */
export interface BuiltDaemon {
  child: ChildProcess;
  statusSock: string;
  controlSock: string;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Spawn `run` with `config` (a path) and the given state and runtime dirs. */
export async function spawnDaemon(options: { config: string; stateDir: string; runtimeDir: string; env?: NodeJS.ProcessEnv }): Promise<BuiltDaemon> {
  const cli = await builtCli(process.cwd());
  const child = spawn(process.execPath, [cli, "run", "--config", options.config, "--state-dir", options.stateDir, "--runtime-dir", options.runtimeDir], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, statusSock: join(options.runtimeDir, "status.sock"), controlSock: join(options.runtimeDir, "control.sock"), output: () => text, exited };
}

/**
 * One HTTP request on a unix socket; the parsed JSON body (or the text) and the status. With
 * `newConnection`, never on a kept-alive connection of an earlier request: a client that arrives now.
 */
export function ask(socketPath: string, path: string, options: { method?: string; body?: unknown; timeoutMs?: number; newConnection?: boolean } = {}): Promise<{ status: number; body: any; text: string }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const agent = options.newConnection ? { agent: false } : {};
    const req = request({ socketPath, path, method: options.method ?? "GET", timeout: options.timeoutMs ?? 5_000, headers: payload ? { "content-type": "application/json" } : {}, ...agent }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // metrics text
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Poll `probe` until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
export async function stopDaemon(daemon: BuiltDaemon): Promise<number | null> {
  if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) return daemon.exited;
  daemon.child.kill("SIGTERM");
  const timer = setTimeout(() => daemon.child.kill("SIGKILL"), 10_000);
  const code = await daemon.exited;
  clearTimeout(timer);
  return code;
}
