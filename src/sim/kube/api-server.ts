// The simulated node's Kubernetes API server: HTTPS with its own CA, a bearer token, a kubeconfig
// for kubectl and client-node, and fault modes. stop()/start() keep the port, so a client's
// reconnect logic can be tested against the same address, as when k3s restarts.
import { createServer, type Server } from "node:https";
import { mkdir } from "node:fs/promises";
import type { Socket } from "node:net";
import { join } from "node:path";
import type { Clock } from "../../ports.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { routeRequest, type ApiFaultMode } from "./request-router.js";
import type { NodeExtras } from "./node-extras.js";
import { parseResourcePath } from "./request-target.js";
import type { ServedFilter } from "./resources.js";
import type { ObjectStore } from "./store-types.js";
import { ensureTlsMaterial } from "./tls-material.js";

export type { ApiFaultMode };

/** Requests the server received, by kind (the benchmarks count the daemon's API traffic with these). */
export interface ApiRequestCounts {
  list: number;
  watch: number;
  get: number;
  /** /readyz, /livez and /healthz. */
  readyz: number;
  delete: number;
  /** Anything else: /version, discovery, writes. */
  other: number;
}

/** Which kind a request is, from its method and URL alone (before auth or fault modes). */
export function requestKind(method: string | undefined, rawUrl: string | undefined): keyof ApiRequestCounts {
  const url = new URL(rawUrl ?? "/", "https://sim.invalid");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path === "/readyz" || path === "/livez" || path === "/healthz") return "readyz";
  if (method === "DELETE") return "delete";
  if (method !== "GET") return "other";
  const target = parseResourcePath(path);
  if (!target) return "other";
  const watch = url.searchParams.get("watch");
  if (watch === "true" || watch === "1") return "watch";
  return target.name !== null ? "get" : "list";
}

/** Options of startApiServer; `dir` receives the CA, the server certificate and kubeconfig.yaml. */
export interface ApiServerOptions {
  store: ObjectStore;
  token: string;
  dir: string;
  host?: "127.0.0.1";
  /** 0 (the default) picks a free port; it is kept across stop()/start(). */
  port?: number;
  /** The clock AGE columns are computed with (the simulator's virtual clock); wall time by default. */
  clock?: Clock;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs?: number;
  bodyLimitBytes?: number;
  /** kubelet's stats summary and the metrics API (src/sim/kube/node-extras.ts). */
  extras?: NodeExtras;
  /** Which resources are served now; all by default (the served node hides Flux's CRDs on flux-absent). */
  served?: ServedFilter;
}

/** A running simulated API server. */
export interface ApiServerHandle {
  url: string;
  port: number;
  kubeconfigPath: string;
  /** PEM of the CA that signed the server certificate. */
  caCert: string;
  mode(): ApiFaultMode;
  /** Switch fault mode; "down" closes the listener, leaving it listens again. */
  setMode(mode: ApiFaultMode): Promise<void>;
  /** Close the listener and every open connection and watch. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  /** Requests received since the server started, by kind (every request counts, answered or not). */
  requestCounts(): ApiRequestCounts;
  /** TLS connections accepted since the server started: a keep-alive client opens few. */
  connectionCount(): number;
}

/** Generate TLS material and a kubeconfig in `options.dir`, then listen on 127.0.0.1. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServerHandle> {
  const host = options.host ?? "127.0.0.1";
  await mkdir(options.dir, { recursive: true });
  const tls = await ensureTlsMaterial(options.dir);
  let mode: ApiFaultMode = "ok";
  let port = options.port ?? 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer({
    cert: tls.serverCert,
    key: tls.serverKey,
    // Hostile or stuck clients: headers must arrive promptly; watches are long responses, not long requests.
    headersTimeout: 10_000,
    requestTimeout: 30_000,
    // kube-apiserver keeps an idle connection 90 s (k8s.io/apiserver's secure serving: IdleTimeout
    // 90 s, "matches http.DefaultTransport keep-alive timeout"), so a /readyz every 30 s reuses it.
    keepAliveTimeout: 90_000,
    maxHeaderSize: 32 * 1024,
  });
  let connections = 0;
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("tlsClientError", () => {});
  server.on("clientError", (_error, socket) => socket.destroy());
  const ctx = {
    store: options.store,
    clock: options.clock ?? { now: () => Date.now() },
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 15_000,
    token: options.token,
    bodyLimitBytes: options.bodyLimitBytes ?? 3 * 1024 * 1024,
    mode: () => mode,
    watchFault: () => {
      // "watch-gone-once": the next watch meets 410 Gone, then the server is healthy again (a compaction).
      if (mode === "watch-gone-once") {
        mode = "ok";
        return "gone" as const;
      }
      return mode === "watch-gone" ? "gone" as const : mode === "watch-garbage" ? "garbage" as const : null;
    },
    serverAddress: () => `${host}:${port}`,
    extras: options.extras,
    served: options.served,
  };
  const counts: ApiRequestCounts = { list: 0, watch: 0, get: 0, readyz: 0, delete: 0, other: 0 };
  server.on("request", (req, res) => {
    counts[requestKind(req.method, req.url)]++;
    void routeRequest(ctx, req, res);
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (server.listening) return resolve();
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const address = server.address();
        if (address && typeof address === "object") port = address.port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen();
  const url = `https://${host}:${port}`;
  const kubeconfigPath = join(options.dir, "kubeconfig.yaml");
  await writeKubeconfig(kubeconfigPath, url, tls.caCert, options.token);
  return {
    url,
    port,
    kubeconfigPath,
    caCert: tls.caCert,
    mode: () => mode,
    async setMode(next) {
      const previous = mode;
      mode = next;
      if (next === "down") return close();
      if (previous === "down") return listen();
      // Requests left hanging are cut when the fault ends, as a restarted server would.
      if (previous === "hang") for (const s of sockets) s.destroy();
    },
    stop: close,
    async start() {
      if (mode === "down") mode = "ok";
      await listen();
    },
    requestCounts: () => ({ ...counts }),
    connectionCount: () => connections,
  };
}
