// One watch connection through client-node's Watch, with the connect timeout client-node lacks: its
// Watch awaits the response headers with no limit (its own 30 s timeout signal is overwritten), so a
// server that accepts and never answers would hold the watch forever. We keep the per-call agent that
// applyToFetchOptions makes and destroy it when the headers do not come in time.
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import { describeKubeError, formatSeconds } from "./kube-error.js";

/** A watch event as the server sent it (raw JSON, not deserialised). */
export interface RawWatchEvent {
  type: string;
  object: { metadata?: { name?: string; namespace?: string; resourceVersion?: string }; code?: number; message?: string; [key: string]: unknown };
}

export interface WatchStreamOptions {
  config: KubeConfig;
  /** "/api/v1/namespaces/songnodes/pods", "/api/v1/nodes". */
  path: string;
  resourceVersion: string;
  connectTimeoutMs: number;
  /** The server ends the watch after this long (timeoutSeconds); the cache then resumes from its resourceVersion. */
  serverTimeoutSeconds: number;
  onEvent(event: RawWatchEvent): void;
  /** The server answered 200 and the stream is open. */
  onOpen(): void;
  /** Called once: null when the server ended the stream, otherwise why it failed, with the HTTP status if any. */
  onEnd(error: { message: string; code: number | null } | null): void;
}

/** A running watch; `stop()` ends it without calling onEnd. */
export interface WatchStream {
  stop(): void;
}

/** Open a watch from `resourceVersion`; failures arrive through onEnd, never as a throw. */
export function openWatchStream(options: WatchStreamOptions): WatchStream {
  let agent: { destroy(): void } | null = null;
  let stopped = false;
  let timedOut = false;
  let expired = false;
  let controller: AbortController | null = null;

  // Prototype delegation: everything from the real KubeConfig, but we see the agent it makes.
  const config = Object.create(options.config) as KubeConfig;
  config.applyToFetchOptions = async (opts) => {
    const init = await options.config.applyToFetchOptions(opts);
    agent = (init.agent as { destroy(): void } | undefined) ?? null;
    return init;
  };

  const connectTimer = setTimeout(() => {
    timedOut = true;
    agent?.destroy();
  }, options.connectTimeoutMs);

  // The server should end the watch at timeoutSeconds; if it has gone silent without closing the
  // connection, end it ourselves a little later so the cache resumes instead of trusting a dead stream.
  const expiryTimer = setTimeout(() => {
    expired = true;
    controller?.abort();
    agent?.destroy();
  }, (options.serverTimeoutSeconds + 30) * 1000);

  const done = (error: unknown) => {
    clearTimeout(connectTimer);
    clearTimeout(expiryTimer);
    if (stopped) return;
    stopped = true;
    agent?.destroy();
    if (!error || expired) return options.onEnd(null);
    const code = (error as { statusCode?: unknown }).statusCode;
    const message = timedOut ? `watch got no answer within ${formatSeconds(options.connectTimeoutMs)}` : describeKubeError(error);
    options.onEnd({ message, code: typeof code === "number" ? code : null });
  };

  const query = { resourceVersion: options.resourceVersion, timeoutSeconds: options.serverTimeoutSeconds };
  new Watch(config)
    .watch(options.path, query, (type, object) => {
      if (!stopped) options.onEvent({ type, object } as RawWatchEvent);
    }, done)
    .then((c) => {
      clearTimeout(connectTimer);
      controller = c;
      if (stopped) c.abort();
      else options.onOpen();
    })
    .catch(done);

  return {
    stop() {
      clearTimeout(connectTimer);
      clearTimeout(expiryTimer);
      if (stopped) return;
      stopped = true;
      controller?.abort();
      agent?.destroy();
    },
  };
}
