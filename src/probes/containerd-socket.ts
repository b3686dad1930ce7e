// Runbook "If K3s Fails to Start", step 1: `ls -la /run/k3s/containerd/containerd.sock`; missing
// means containerd failed to start. A socket file can outlive the containerd that made it, so the
// probe also connects: only a socket that accepts a connection counts.
import { stat } from "node:fs/promises";
import { connect } from "node:net";
import type { ContainerdSocketDetail, Reading } from "../core/types.js";
import type { Probe } from "../ports.js";

export interface ContainerdSocketProbeOptions {
  path: string;
  /** A live containerd accepts at once; default 2 s. */
  connectTimeoutMs?: number;
}

type ConnectOutcome = "accepts" | "refused" | "missing" | { unknown: string };

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
  return {
    name: "containerdSocket",
    async read(signal) {
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
      if (outcome === "accepts") return interpretContainerdSocket({ path, exists: true, accepts: true });
      if (outcome === "refused") return interpretContainerdSocket({ path, exists: true, accepts: false });
      if (outcome === "missing") return interpretContainerdSocket({ path, exists: false, accepts: false }, "removed while looking");
      return unknown(outcome.unknown);
    },
  };
}

function tryConnect(path: string, timeoutMs: number, signal: AbortSignal): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const finish = (outcome: ConnectOutcome) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ unknown: "the probe's time ran out while connecting" });
    const timer = setTimeout(() => finish({ unknown: `connect did not finish within ${timeoutMs} ms` }), timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => finish("accepts"));
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
