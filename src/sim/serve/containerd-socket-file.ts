// containerd's socket as a real unix socket file, kept in step with the model: it exists and
// accepts while containerd runs, exists but refuses when containerd died under it (a stale socket
// a stopped k3s leaves behind), and is gone otherwise. The daemon's probe stats and connects to it
// exactly as it does to /run/k3s/containerd/containerd.sock. Like containerd's gRPC server it keeps
// a connection that says nothing open until its handshake deadline (gRPC's default, 120 s), and a
// containerd that dies closes every connection it holds, as the kernel does for a dead process.
import { existsSync, linkSync, renameSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";

/** grpc-go's default ConnectionTimeout: how long a server waits for a client's HTTP/2 preface. */
export const HANDSHAKE_DEADLINE_MS = 120_000;

/** What the model says about the socket. */
export interface SocketTruth {
  exists: boolean;
  accepts: boolean;
}

/** The socket file; `sync` makes it match the model, one change at a time. */
export interface ContainerdSocketFile {
  readonly path: string;
  sync(truth: SocketTruth): Promise<void>;
  close(): Promise<void>;
}

/** Keep a socket at `path` that matches whatever `sync` is told. */
export function createContainerdSocketFile(path: string): ContainerdSocketFile {
  let server: Server | null = null;
  const open = new Set<Socket>();
  let state: "absent" | "listening" | "stale" = "absent";
  let queue: Promise<void> = Promise.resolve();
  rmSync(path, { force: true });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const candidate = createServer((socket) => {
        open.add(socket);
        const deadline = setTimeout(() => socket.destroy(), HANDSHAKE_DEADLINE_MS).unref();
        socket.on("error", () => {}).on("data", () => {}).once("close", () => {
          clearTimeout(deadline);
          open.delete(socket);
        });
      });
      candidate.once("error", reject);
      candidate.listen(path, () => {
        candidate.off("error", reject);
        server = candidate;
        resolve();
      });
    });
  // libuv unlinks a unix socket when its listener closes; a second hard link keeps the inode, so a
  // file that is a socket but refuses connections (ECONNREFUSED) stays behind, as after a crash.
  const stopListening = (keepFile: boolean) =>
    new Promise<void>((resolve) => {
      const current = server;
      server = null;
      if (!current) return resolve();
      for (const socket of open) socket.destroy();
      const spare = `${path}.stale`;
      if (keepFile) {
        rmSync(spare, { force: true });
        linkSync(path, spare);
      }
      current.close(() => {
        if (keepFile) renameSync(spare, path);
        resolve();
      });
    });

  const apply = async (truth: SocketTruth): Promise<void> => {
    const want = !truth.exists ? "absent" : truth.accepts ? "listening" : "stale";
    if (want === state) return;
    if (state === "listening") await stopListening(want === "stale");
    if (want !== "stale") rmSync(path, { force: true });
    if (want === "listening") await listen();
    if (want === "stale" && !existsSync(path)) await listen().then(() => stopListening(true));
    state = want;
  };

  return {
    path,
    sync(truth) {
      queue = queue.then(() => apply(truth)).catch(() => undefined);
      return queue;
    },
    async close() {
      await queue;
      await stopListening(false);
      rmSync(path, { force: true });
      rmSync(`${path}.stale`, { force: true });
      state = "absent";
    },
  };
}
