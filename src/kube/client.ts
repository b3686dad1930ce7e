// The Kubernetes client the probes and actions share: client-node 1.4 built from k3s's kubeconfig, with
// a per-request timeout. client-node has no default timeout, so a server that accepts and never answers
// would hang a call forever (docs/design.md §7); every call here carries an AbortSignal through request
// middleware. The kubeconfig is loaded lazily and reloaded when k3s rewrites it (it does on every
// start), so the daemon can start before k3s has written it. The daemon's own reads (/readyz, lists,
// watches) go over one keep-alive connection per kubeconfig (kube-http.ts); the client also carries
// the news that the API went away, so the API probe can look at once (`onTrouble`), and whether the
// watches' connections still hold, so a quiet API is not asked for /readyz at every tick (`watchState`).
import { statSync } from "node:fs";
import { CoreV1Api, KubeConfig, Observable, type ConfigurationOptions, type ObservableMiddleware } from "@kubernetes/client-node";
import { deadline } from "../exec/deadline.js";
import { createKubeHttp, type KubeHttp } from "./kube-http.js";
import { getRaw, type RawAnswer } from "./raw-get.js";

export interface KubeClientOptions {
  kubeconfigPath: string;
  /** Each request's timeout; a call that gets no answer within it fails with "no answer within N s". */
  requestTimeoutMs: number;
}

/** A loaded kubeconfig and the API built from it. */
export interface KubeConnection {
  config: KubeConfig;
  core: CoreV1Api;
  /** The daemon's own requests: one keep-alive agent for this kubeconfig's lifetime. */
  http: KubeHttp;
}

/** Open watch streams, and how many times one ended or trouble was reported (it only grows). */
export interface WatchState {
  open: number;
  disturbances: number;
}

/** What probes and actions use to reach the API. */
export interface KubeClient {
  readonly requestTimeoutMs: number;
  /** The current connection; throws a readable Error when the kubeconfig cannot be loaded. */
  connect(): KubeConnection;
  /** Per-call options: the request is aborted after the timeout or when `signal` fires. */
  callOptions(signal?: AbortSignal): ConfigurationOptions;
  /** A raw GET (such as /readyz) with the kubeconfig's CA and credentials; never throws. */
  get(path: string, signal?: AbortSignal, maxBody?: number): Promise<RawAnswer>;
  /** A watch broke or a connection was refused: tell whoever wants to look at the API now. */
  reportTrouble(why: string): void;
  /** Called with the reason of every reported trouble; returns the unsubscribe. */
  onTrouble(listener: (why: string) => void): () => void;
  /** A watch's stream opened (true) or ended for any reason (false); `what` names the watch. */
  reportWatch(what: string, open: boolean): void;
  /** The watches' connections as news of the API: how many are open, and a count of every trouble and end so far. */
  watchState(): WatchState;
  /** Drop the connections kept alive. */
  close(): void;
}

/** Build a client that reads `kubeconfigPath` when first used and again whenever the file changes. */
export function createKubeClient(options: KubeClientOptions): KubeClient {
  let loaded: (KubeConnection & { mtimeMs: number }) | null = null;
  const troubleListeners = new Set<(why: string) => void>();
  const openWatches = new Set<string>();
  let disturbances = 0;

  const connect = (): KubeConnection => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(options.kubeconfigPath).mtimeMs;
    } catch (error) {
      throw new Error(`kubeconfig ${options.kubeconfigPath} unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (loaded && loaded.mtimeMs === mtimeMs) return loaded;
    try {
      const config = new KubeConfig();
      config.loadFromFile(options.kubeconfigPath);
      if (!config.getCurrentCluster()) throw new Error("no current cluster");
      // k3s rewrote its kubeconfig (a new CA or port after a reinstall): the old connections go.
      loaded?.http.close();
      loaded = { config, core: config.makeApiClient(CoreV1Api), http: createKubeHttp(config), mtimeMs };
      return loaded;
    } catch (error) {
      throw new Error(`kubeconfig ${options.kubeconfigPath} invalid: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    requestTimeoutMs: options.requestTimeoutMs,
    connect,
    callOptions(signal) {
      const limit = deadline(options.requestTimeoutMs, signal);
      // The Object-style APIs (CoreV1Api) run Observable middleware; client-node exports its Observable.
      // The deadline also covers reading the body, so it is let go once the body is read (a call that
      // fails before that lets go when the deadline fires): no listener stays on `signal`.
      const middleware: ObservableMiddleware = {
        pre: (context) => {
          context.setSignal(limit.signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => {
          const body = response.body;
          response.body = {
            text: () => body.text().finally(limit.dispose),
            binary: () => body.binary().finally(limit.dispose),
          };
          return new Observable(Promise.resolve(response));
        },
      };
      return { middleware: [middleware], middlewareMergeStrategy: "append" };
    },
    async get(path, signal, maxBody) {
      let http: KubeHttp;
      try {
        http = connect().http;
      } catch (error) {
        return { httpStatus: null, body: "", error: (error as Error).message, timedOut: false };
      }
      try {
        return await getRaw(http, path, options.requestTimeoutMs, signal, maxBody);
      } catch (error) {
        // A malformed server URL in the kubeconfig, say: still an answer, not a throw.
        return { httpStatus: null, body: "", error: error instanceof Error ? error.message : String(error), timedOut: false };
      }
    },
    reportTrouble(why) {
      disturbances++;
      for (const listener of troubleListeners) listener(why);
    },
    reportWatch(what, open) {
      if (open) openWatches.add(what);
      // Any end counts, a server's routine close included: the API must be looked at again.
      else if (openWatches.delete(what)) disturbances++;
    },
    watchState: () => ({ open: openWatches.size, disturbances }),
    onTrouble(listener) {
      troubleListeners.add(listener);
      return () => troubleListeners.delete(listener);
    },
    close() {
      loaded?.http.close();
      troubleListeners.clear();
      openWatches.clear();
    },
  };
}
