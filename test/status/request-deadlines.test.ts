// The status sockets cut a slow client with timers that live only while its connection does, so
// a server nobody talks to sets no timer at all (Node's own check polls on an interval forever).
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enforceRequestDeadlines } from "../../src/status/request-deadlines.js";

let dir: string;
let server: Server;
let path: string;
let late = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "deadlines-"));
  path = join(dir, "s.sock");
  late = 0;
  // Node's own check at 30 s: anything cut sooner was cut by the deadlines.
  server = createServer({ connectionsCheckingInterval: 30_000, headersTimeout: 20_000, requestTimeout: 25_000 }, (request, response) => {
    request.resume();
    request.once("end", () => response.end("ok\n"));
  });
  enforceRequestDeadlines(server, { headersTimeoutMs: 300, requestTimeoutMs: 600 }, (socket) => {
    late++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const opened = (): Promise<Socket> => new Promise((resolve) => {
  const socket = connect(path, () => resolve(socket));
  socket.on("error", () => {});
});
const closedAfter = (socket: Socket, since: number): Promise<number> => new Promise((resolve) => socket.once("close", () => resolve(performance.now() - since)));
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("request deadlines", () => {
  it("cut a client that dribbles its headers at the headers deadline", async () => {
    const started = performance.now();
    const socket = await opened();
    socket.write("GET / HTTP/1.1\r\n");
    const drip = setInterval(() => socket.writable && socket.write("X-A: b\r\n"), 50);
    const after = await closedAfter(socket, started);
    clearInterval(drip);
    expect(after).toBeGreaterThanOrEqual(250);
    expect(after).toBeLessThan(5_000);
    expect(late).toBe(1);
  });

  it("cut a client whose body never ends at the request deadline, not the headers one", async () => {
    const started = performance.now();
    const socket = await opened();
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    const after = await closedAfter(socket, started);
    expect(after).toBeGreaterThanOrEqual(550);
    expect(late).toBe(1);
  });

  it("leave a prompt client alone, request after request, and set no timer once it is gone", async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = timers();
    const socket = await opened();
    const answers: string[] = [];
    socket.on("data", (chunk) => answers.push(String(chunk)));
    for (let i = 0; i < 3; i++) {
      socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(answers.join("").match(/HTTP\/1\.1 200/g)).toHaveLength(3);
    expect(late).toBe(0);
    expect(timers()).toBeGreaterThan(before);
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // None of ours is left (a timer of the test runner's may have ended meanwhile).
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
