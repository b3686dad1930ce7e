import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContainerdSocketProbe, interpretContainerdSocket } from "../../src/probes/containerd-socket.js";

let dir: string;
let server: Server | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "containerd-socket-"));
});
afterEach(async () => {
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

const read = (path: string, signal = AbortSignal.timeout(5_000)) =>
  createContainerdSocketProbe({ path, connectTimeoutMs: 1_000 }).read(signal);

/**
 * A containerd stand-in in its own process, listening on `path` and holding every connection it
 * accepts, saying nothing; kill9() leaves its socket file behind, as a crashed containerd does.
 */
async function startListener(path: string) {
  const child = spawn(process.execPath, ["-e", `require("net").createServer((s) => s.on("error", () => {})).listen(${JSON.stringify(path)}, () => console.log("listening"))`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return {
    async kill9() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A process that listens on `path` and is then killed -9, leaving its socket file behind. */
async function leaveStaleSocket(path: string): Promise<void> {
  await (await startListener(path)).kill9();
}

describe("containerd socket probe", () => {
  it("a socket that accepts connections is ok", async () => {
    const path = join(dir, "containerd.sock");
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server?.listen(path, resolve));
    const reading = await read(path);
    expect(reading.status).toBe("ok");
    expect(reading.detail).toEqual({ path, exists: true, accepts: true });
  });

  it("a missing socket is bad: containerd did not start", async () => {
    const path = join(dir, "containerd.sock");
    const reading = await read(path);
    expect(reading.status).toBe("bad");
    expect(reading.reason).toBe(`containerd socket ${path} is missing: containerd did not start`);
    expect(reading.detail).toEqual({ path, exists: false, accepts: false });
  });

  it("a socket whose parent directory is missing is bad too", async () => {
    const reading = await read(join(dir, "run", "k3s", "containerd", "containerd.sock"));
    expect(reading.status).toBe("bad");
    expect(reading.detail?.exists).toBe(false);
  });

  it("a socket file left by a containerd killed -9 is bad: stale", async () => {
    const path = join(dir, "containerd.sock");
    await leaveStaleSocket(path);
    expect(existsSync(path)).toBe(true);
    const reading = await read(path);
    expect(reading.status).toBe("bad");
    expect(reading.reason).toMatch(/exists but refuses connections: stale/);
    expect(reading.detail).toEqual({ path, exists: true, accepts: false });
  });

  it("a plain file where the socket should be is bad, and says so", async () => {
    const path = join(dir, "containerd.sock");
    writeFileSync(path, "not a socket");
    const reading = await read(path);
    expect(reading.status).toBe("bad");
    expect(reading.reason).toMatch(/not a socket/);
  });

  it("a probe whose time already ran out is unknown, never bad", async () => {
    const reading = await read(join(dir, "containerd.sock"), AbortSignal.abort());
    expect(reading).toMatchObject({ status: "unknown", detail: null });
  });
});

describe("interpretContainerdSocket", () => {
  it.each([
    [{ exists: true, accepts: true }, "ok"],
    [{ exists: true, accepts: false }, "bad"],
    [{ exists: false, accepts: false }, "bad"],
  ] as const)("%j is %s", (facts, status) => {
    expect(interpretContainerdSocket({ path: "/run/k3s/containerd/containerd.sock", ...facts }).status).toBe(status);
  });
});

describe("containerd socket probe: the held connection", () => {
  it("holds the connection that proved the socket: its close when containerd dies wakes the loop, and the reading stops standing", async () => {
    const path = join(dir, "containerd.sock");
    const containerd = await startListener(path);
    const probe = createContainerdSocketProbe({ path, connectTimeoutMs: 1_000 });
    const wakes: string[] = [];
    probe.watch?.((why) => wakes.push(why));
    expect(probe.quiet?.()).toBe(false);
    expect((await probe.read(AbortSignal.timeout(5_000))).status).toBe("ok");
    expect(probe.quiet?.()).toBe(true);
    // Held past the short-lived limit, so its close counts as containerd's doing.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await containerd.kill9();
    await expect.poll(() => wakes.length, { timeout: 2_000 }).toBe(1);
    expect(wakes[0]).toBe(`containerd socket ${path}: containerd closed the daemon's connection`);
    expect(probe.quiet?.()).toBe(false);
    const after = await probe.read(AbortSignal.timeout(5_000));
    expect(after.status).toBe("bad");
    expect(after.detail).toEqual({ path, exists: true, accepts: false });
    await probe.close?.();
  });

  it("a server that ends every connection at once wakes nothing; the reading just never stands", async () => {
    const path = join(dir, "containerd.sock");
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server?.listen(path, resolve));
    const probe = createContainerdSocketProbe({ path, connectTimeoutMs: 1_000 });
    const wakes: string[] = [];
    probe.watch?.((why) => wakes.push(why));
    expect((await probe.read(AbortSignal.timeout(5_000))).status).toBe("ok");
    await expect.poll(() => probe.quiet?.(), { timeout: 2_000 }).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wakes).toEqual([]);
    await probe.close?.();
  });

  it("an ok reading stands for the re-check bound at most, and each look replaces the held connection", async () => {
    const path = join(dir, "containerd.sock");
    const open = new Set<unknown>();
    server = createServer((socket) => {
      open.add(socket);
      socket.on("error", () => {}).once("close", () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server?.listen(path, resolve));
    let now = 1_000_000;
    const probe = createContainerdSocketProbe({ path, connectTimeoutMs: 1_000, clock: { now: () => now }, quietRecheckMs: 30_000 });
    const wakes: string[] = [];
    probe.watch?.((why) => wakes.push(why));
    await probe.read(AbortSignal.timeout(5_000));
    now += 29_999;
    expect(probe.quiet?.()).toBe(true);
    now += 1;
    expect(probe.quiet?.()).toBe(false);
    await probe.read(AbortSignal.timeout(5_000));
    expect(probe.quiet?.()).toBe(true);
    // The first connection was let go by the daemon itself: one held at the server, no wake-up.
    await expect.poll(() => open.size, { timeout: 2_000 }).toBe(1);
    expect(wakes).toEqual([]);
    await probe.close?.();
    await expect.poll(() => open.size, { timeout: 2_000 }).toBe(0);
  });
});
