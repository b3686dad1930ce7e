// A hostile or slow client must never stop the daemon, delay its loop or damage its journal:
// random bytes, truncated and oversized requests, a client that dribbles its headers, and a burst of
// 1,000 concurrent connections from another process, while a timer stands in for the daemon's loop.
import { execFile } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { askDaemon } from "../../src/status/client.js";
import { startHarness, type Harness } from "./harness.js";

const run = promisify(execFile);
const HOSTILE_CLIENT = fileURLToPath(new URL("./fixtures/hostile-client.mjs", import.meta.url));
const TICK_MS = 25;

/** The stand-in for the daemon's loop: ticks on a timer, writes to the journal, notes its worst lateness. */
function startLoop(h: Harness) {
  let expected = Date.now() + TICK_MS;
  let ticks = 0;
  let worstLatenessMs = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    worstLatenessMs = Math.max(worstLatenessMs, now - expected);
    expected = now + TICK_MS;
    ticks += 1;
    h.journal.recordObservation("api", ticks % 2 === 0 ? "ok" : "bad", `tick ${ticks}`, h.clock.now());
  }, TICK_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return { ticks, worstLatenessMs };
    },
  };
}

/** Write raw bytes to a socket and wait until the server closes it; resolves with what came back. */
function rawExchange(path: string, write: (socket: ReturnType<typeof connect>) => void, giveUpMs = 10_000): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ path });
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on("connect", () => write(socket));
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
  });
}

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ limits: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000, idleTimeoutMs: 2_000 } });
});
afterEach(async () => {
  await h.cleanup();
});

describe("a hostile client", () => {
  it("gets 400 for random bytes and the daemon keeps answering", async () => {
    const { answer } = await rawExchange(h.server.statusPath, (s) => s.write(Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a])));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"error":"malformed HTTP request"');
    expect((await askDaemon({ socketPath: h.server.statusPath, method: "GET", path: "/healthz" })).status).toBe(200);
  });

  it("gets 431 for a header larger than 8 KiB", async () => {
    const { answer } = await rawExchange(h.server.statusPath, (s) => s.write(`GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Junk: ${"a".repeat(20_000)}\r\n\r\n`));
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it("gets 413 for a declared body over the limit, before the body is read", async () => {
    const { answer } = await rawExchange(h.server.controlPath, (s) =>
      s.write('POST /v1/pause HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{"duration":'));
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
  });

  it("that dribbles its headers is cut off by the header timeout", async () => {
    const { closedAfterMs } = await rawExchange(h.server.statusPath, (s) => {
      s.write("GET /v1/status HTTP/1.1\r\n");
      const drip = setInterval(() => (s.writable ? s.write("X-A: b\r\n") : clearInterval(drip)), 200);
      s.on("close", () => clearInterval(drip));
    });
    // headersTimeout 1 s, the connection's own deadline (Node's check polls every 30 s): closed well before the 10 s give-up.
    expect(closedAfterMs).toBeLessThan(8_000);
  });

  it("that sends half a body is answered 408 by the request timeout", async () => {
    const { answer } = await rawExchange(h.server.controlPath, (s) =>
      s.write('POST /v1/pause HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"duration":'));
    // Either the parser's 408 or a plain close: never a pause, never a hang.
    expect(answer === "" || /^HTTP\/1\.1 (408|400) /.test(answer)).toBe(true);
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
  });

  it("bursting 1,000 concurrent connections leaves the daemon running, its loop on time and its journal intact", async () => {
    await askDaemon({ socketPath: h.server.controlPath, method: "POST", path: "/v1/pause", body: { duration: "2h", reason: "before the burst" } });
    const loop = startLoop(h);
    const [statusBurst, controlBurst] = await Promise.all([
      run(process.execPath, [HOSTILE_CLIENT, h.server.statusPath, "1000"], { timeout: 60_000 }),
      run(process.execPath, [HOSTILE_CLIENT, h.server.controlPath, "200"], { timeout: 60_000 }),
    ]);
    const { ticks, worstLatenessMs } = loop.stop();
    const summary = JSON.parse(statusBurst.stdout) as Record<string, number>;
    const total = Object.values(summary).reduce((a, b) => a + b, 0);
    expect(total).toBe(1000);
    // Every connection ended: answered, refused or closed by the server; none was left hanging.
    expect(summary.hung ?? 0).toBe(0);
    expect(summary["http:200"] ?? 0).toBeGreaterThan(0);
    expect(JSON.parse(controlBurst.stdout).hung ?? 0).toBe(0);

    // The daemon still answers, on both sockets.
    const status = await askDaemon({ socketPath: h.server.statusPath, method: "GET", path: "/v1/status" });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ phase: "paused", pause: { reason: "before the burst" } });
    expect((await askDaemon({ socketPath: h.server.controlPath, method: "GET", path: "/healthz" })).status).toBe(200);

    // The loop kept its rhythm (a generous bound: correctness, not a benchmark).
    expect(ticks).toBeGreaterThan(10);
    expect(worstLatenessMs).toBeLessThan(1_000);

    // The journal holds every tick and passes SQLite's own integrity check.
    h.journal.close();
    const db = new Database(h.journalPath, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = db.prepare("SELECT COUNT(*) AS n FROM observation_changes WHERE probe = 'api'").get() as { n: number };
      expect(rows.n).toBe(ticks);
      const pauses = db.prepare("SELECT COUNT(*) AS n FROM pauses").get() as { n: number };
      expect(pauses.n).toBe(1);
    } finally {
      db.close();
    }
  }, 90_000);
});
