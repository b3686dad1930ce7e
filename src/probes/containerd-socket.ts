// Runbook "If K3s Fails to Start", step 1: `ls -la /run/k3s/containerd/containerd.sock`; missing
// means containerd failed to start. A socket file can outlive the containerd that made it, so the
// probe also connects: only a socket that accepts a connection counts.
//
// The connection that proved the socket accepts is kept open, saying nothing. When containerd dies
// the kernel closes every socket it held, ours included, so the close is news at once: it wakes the
// loop, and until the next look the reading no longer stands. While the connection holds, an ok
// reading stands in a quiet iteration for CONTAINERD_QUIET_RECHECK_MS, so the idle daemon connects
// once a minute, not at every tick. Each look replaces the held connection, well before gRPC's
// server gives up waiting for a handshake (120 s by default) and closes it.
import { stat } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import type { ContainerdSocketDetail, Reading } from "../core/types.js";
import { systemClock, type Clock, type Probe } from "../ports.js";
import { createStandingOk } from "./standing-ok.js";

export interface ContainerdSocketProbeOptions {
  path: string;
  /** A live containerd accepts at once; default 2 s. */
  connectTimeoutMs?: number;
  /** For the re-check bound; the real clock by default. */
  clock?: Clock;
  quietRecheckMs?: number;
}

/**
 * How long an ok reading stands in a quiet iteration while the held connection stays open: with the
 * unit's and the API's bounds, so the idle daemon looks once a minute; under gRPC's 120 s.
 */
export const CONTAINERD_QUIET_RECHECK_MS = 60_000;
// A held connection closed sooner than this after it opened is a server that ends every connection
// (not containerd's way): no wake-up for it, or each look would wake the next one; the reading then
// just does not stand, and every tick looks, as without a held connection.
const SHORT_LIVED_MS = 1_000;

type ConnectOutcome = { accepts: Socket } | "refused" | "missing" | { unknown: string };

/** Judge the facts: ok when the socket exists and accepts; bad when missing or stale. */
export function interpretContainerdSocket(detail: ContainerdSocketDetail, note?: string): Reading<ContainerdSocketDetail> {
  const extra = note ? ` (${note})` : "";
  if (!detail.exists) {
    return { status: "bad", reason: `containerd socket ${detail.path} is missing: containerd did not start${extra}`, detail };
  }
  if (!detail.accepts) {
    return {
      status: "bad",
      reason: `containerd socket ${detail.path} exists but refuses connections: stale, left by a containerd that is gone${extra}`,
      detail,
    };
  }
  return { status: "ok", reason: `containerd socket ${detail.path} accepts connections${extra}`, detail };
}

/** The containerd socket probe: stat, then connect with a short timeout. */
export function createContainerdSocketProbe(options: ContainerdSocketProbeOptions): Probe<ContainerdSocketDetail> {
  const { path } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const unknown = (why: string): Reading<ContainerdSocketDetail> => ({
    status: "unknown", reason: `cannot tell whether containerd socket ${path} is up: ${why}`, detail: null,
  });
  const now = () => (options.clock ?? systemClock).now();
  const lastOk = createStandingOk(options.clock, options.quietRecheckMs ?? CONTAINERD_QUIET_RECHECK_MS);
  const wakers = new Set<(why: string) => void>();
  // Closes of a held connection: news, as a PropertiesChanged is to the unit probe.
  let closes = 0;
  let held: Socket | null = null;
  const release = () => {
    const socket = held;
    held = null;
    socket?.destroy();
  };
  const hold = (socket: Socket) => {
    release();
    held = socket;
    const openedAt = now();
    // Whatever containerd sends (gRPC's settings) is read and dropped, so its close is seen.
    socket.on("data", () => {}).on("error", () => {});
    socket.once("close", () => {
      if (held !== socket) return;
      held = null;
      closes++;
      if (now() - openedAt < SHORT_LIVED_MS) return;
      for (const wake of wakers) wake(`containerd socket ${path}: containerd closed the daemon's connection`);
    });
    // A held connection must not keep the process alive at its stop.
    socket.unref();
  };
  return {
    name: "containerdSocket",
    async read(signal) {
      const done = lastOk.begin(closes);
      const reading = await look(signal);
      done(reading.status === "ok");
      return reading;
    },
    quiet: () => held !== null && lastOk.stands(closes),
    standsFor: () => (held === null ? 0 : lastOk.standsFor(closes)),
    watch(wake) {
      wakers.add(wake);
      return () => wakers.delete(wake);
    },
    async close() {
      wakers.clear();
      release();
    },
  };

  async function look(signal: AbortSignal): Promise<Reading<ContainerdSocketDetail>> {
    if (signal.aborted) return unknown("the probe's time ran out");
    let isSocket: boolean;
    try {
      isSocket = (await stat(path)).isSocket();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a parent (/run/k3s) is not a directory, so there is no socket either.
      if (code === "ENOENT" || code === "ENOTDIR") return interpretContainerdSocket({ path, exists: false, accepts: false });
      return unknown(code === "EACCES" ? "permission denied (EACCES)" : `stat failed: ${describe(error)}`);
    }
    if (!isSocket) return interpretContainerdSocket({ path, exists: true, accepts: false }, "the path is not a socket");
    const outcome = await tryConnect(path, connectTimeoutMs, signal);
    if (outcome === "refused") return interpretContainerdSocket({ path, exists: true, accepts: false });
    if (outcome === "missing") return interpretContainerdSocket({ path, exists: false, accepts: false }, "removed while looking");
    if ("unknown" in outcome) return unknown(outcome.unknown);
    hold(outcome.accepts);
    return interpretContainerdSocket({ path, exists: true, accepts: true });
  }
}

function tryConnect(path: string, timeoutMs: number, signal: AbortSignal): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const finish = (outcome: ConnectOutcome) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket.removeAllListeners("connect").removeAllListeners("error");
      // The accepted connection goes on, held; any other ends here.
      if (typeof outcome !== "object" || !("accepts" in outcome)) socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ unknown: "the probe's time ran out while connecting" });
    const timer = setTimeout(() => finish({ unknown: `connect did not finish within ${timeoutMs} ms` }), timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => finish({ accepts: socket }));
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") finish("refused");
      else if (error.code === "ENOENT") finish("missing");
      else if (error.code === "EACCES" || error.code === "EPERM") finish({ unknown: `connect: permission denied (${error.code})` });
      else finish({ unknown: `connect failed: ${describe(error)}` });
    });
  });
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
