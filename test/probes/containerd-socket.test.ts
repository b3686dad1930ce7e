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

/** A process that listens on `path` and is then killed -9, leaving its socket file behind, as a crashed containerd does. */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(path)}, () => console.log("listening"))`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
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
