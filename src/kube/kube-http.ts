// The HTTP side of one loaded kubeconfig, for the daemon's own requests (/readyz, lists, watches):
// the kubeconfig's CA and credentials on ONE keep-alive agent for the kubeconfig's lifetime.
// client-node's applyToHTTPSOptions makes a fresh agent per call, so every /readyz paid a TCP and
// TLS handshake; an idle daemon now reuses one connection.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

/** Requests to the current cluster with the kubeconfig's credentials. */
export interface KubeHttp {
  /** The API server's base URL, as the kubeconfig names it. */
  readonly server: string;
  /** Options for one request: credentials, headers and the shared agent. Rejects on unusable credentials. */
  requestOptions(): Promise<https.RequestOptions>;
  /** node:https, or node:http for an http:// server. */
  transport(): typeof https | typeof http;
  /** Drop the agent's connections (the kubeconfig changed or the client is done). */
  close(): void;
}

/** Build the HTTP side of `config`; throws when it has no current cluster. */
export function createKubeHttp(config: KubeConfig): KubeHttp {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  const user = config.getCurrentUser();
  // exec and auth-provider credentials expire: their headers are applied per request; a static token
  // or a client certificate (what k3s writes) is applied once.
  const dynamicAuth = Boolean(user?.exec || user?.authProvider);
  const plainHttp = cluster.server.startsWith("http:");
  let agent: http.Agent | null = null;
  let base: Promise<https.RequestOptions> | null = null;

  const build = async (): Promise<https.RequestOptions> => {
    const options: https.RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    // A proxy needs client-node's proxy agent; anything else shares one keep-alive agent.
    if (!cluster.proxyUrl) {
      const tls = { ca: options.ca, cert: options.cert, key: options.key, servername: options.servername, ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }) };
      agent ??= plainHttp ? new http.Agent({ keepAlive: true, maxFreeSockets: 4 }) : new https.Agent({ keepAlive: true, maxFreeSockets: 4, ...tls });
      options.agent = agent;
    }
    return options;
  };

  return {
    server: cluster.server,
    requestOptions() {
      if (base === null || dynamicAuth) {
        const pending = build();
        // A failure is not cached: the next request tries again (a cert file may appear).
        pending.catch(() => {
          if (base === pending) base = null;
        });
        base = pending;
      }
      return base;
    },
    transport: () => (plainHttp ? http : https),
    close() {
      agent?.destroy();
      agent = null;
      base = null;
    },
  };
}
