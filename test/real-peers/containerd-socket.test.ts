// The containerd socket probe against Debian's real containerd (1.6), with its own config, root,
// state and socket in a temp dir: answering, stopped (SIGTERM: it removes its socket) and killed
// (SIGKILL: the socket file stays behind, stale).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createContainerdSocketProbe } from "../../src/probes/containerd-socket.js";
import { killAll, processesMentioning, unmountUnder } from "./lib/leftovers.js";
import { describeWithPeers, REAL_PEER_BINARIES } from "./lib/peers-present.js";

let dir: string | null = null;
let containerd: ChildProcess | null = null;

afterEach(async () => {
  if (containerd && containerd.exitCode === null && containerd.signalCode === null) containerd.kill("SIGKILL");
  containerd = null;
  if (dir) {
    killAll(processesMentioning(dir));
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  dir = null;
});

/** Start containerd on DIR/containerd.sock; resolves once `ctr version` gets an answer through it. */
async function startContainerd(): Promise<{ socket: string; exited: Promise<void> }> {
  if (process.getuid?.() !== 0) throw new Error("a real containerd needs root: run the real-peer tests as root (CI does)");
  dir = mkdtempSync(join(tmpdir(), "songnodes-containerd-"));
  const socket = join(dir, "containerd.sock");
  const config = join(dir, "config.toml");
  writeFileSync(config, [
    "version = 2",
    `root = "${join(dir, "root")}"`,
    `state = "${join(dir, "state")}"`,
    // No CRI: it would look for CNI and touch the host; the probe only needs the socket.
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    "[grpc]",
    `  address = "${socket}"`,
    "[ttrpc]",
    `  address = "${socket}.ttrpc"`,
    "[debug]",
    '  address = ""',
    "[metrics]",
    '  address = ""',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = "${join(dir, "opt")}"`,
    "",
  ].join("\n"));
  const log = openSync(join(dir, "containerd.log"), "a");
  const child = spawn(REAL_PEER_BINARIES.containerd.path, ["--config", config], { stdio: ["ignore", log, log] });
  closeSync(log);
  containerd = child;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 20_000;
  while ((await ctrVersion(socket)) === null) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`containerd did not answer on ${socket}:\n${readFileSync(join(dir, "containerd.log"), "utf8").slice(-2_000)}`);
    }
    await sleep(100);
  }
  return { socket, exited };
}

/** The server version `ctr version` reads through the socket, or null. */
function ctrVersion(socket: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(REAL_PEER_BINARIES.ctr.path, ["--address", socket, "--timeout", "2s", "version"], { timeout: 5_000 }, (error, stdout) => {
      resolve(error ? null : (/Server:\s+Version:\s+(\S+)/.exec(stdout)?.[1] ?? null));
    });
  });
}

const read = (path: string) => createContainerdSocketProbe({ path, connectTimeoutMs: 1_000 }).read(AbortSignal.timeout(5_000));

describeWithPeers("containerd socket probe against a real containerd", ["containerd", "ctr"], () => {
  it("a running containerd's socket answers and is ok", async () => {
    const { socket } = await startContainerd();
    expect(await ctrVersion(socket)).toMatch(/^1\.\d+\./);
    expect(await read(socket)).toEqual({
      status: "ok",
      reason: `containerd socket ${socket} accepts connections`,
      detail: { path: socket, exists: true, accepts: true },
    });
  });

  it("a containerd stopped with SIGTERM removes its socket: bad, containerd did not start", async () => {
    const { socket, exited } = await startContainerd();
    containerd?.kill("SIGTERM");
    await exited;
    expect(existsSync(socket)).toBe(false);
    expect(await read(socket)).toEqual({
      status: "bad",
      reason: `containerd socket ${socket} is missing: containerd did not start`,
      detail: { path: socket, exists: false, accepts: false },
    });
  });

  it("a containerd killed with SIGKILL leaves a stale socket file: bad, refuses connections", async () => {
    const { socket, exited } = await startContainerd();
    containerd?.kill("SIGKILL");
    await exited;
    expect(statSync(socket).isSocket()).toBe(true);
    expect(await ctrVersion(socket)).toBeNull();
    expect(await read(socket)).toEqual({
      status: "bad",
      reason: `containerd socket ${socket} exists but refuses connections: stale, left by a containerd that is gone`,
      detail: { path: socket, exists: true, accepts: false },
    });
  });
});
