// A plain GET against the API server with the kubeconfig's CA and credentials, for endpoints that are
// not resources (/readyz). node:https directly, so the status code and body come back as they are and
// a refused connection stays distinguishable from a timeout.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { formatSeconds } from "./kube-error.js";

/** The answer of a raw GET: an HTTP status and body, or why there was none. */
export interface RawAnswer {
  httpStatus: number | null;
  body: string;
  /** Set when no HTTP answer came back: "connect ECONNREFUSED 127.0.0.1:6443", "no answer within 5 s". */
  error: string | null;
  timedOut: boolean;
}

// /readyz bodies are a few hundred bytes; never buffer a runaway answer.
const MAX_BODY = 64 * 1024;

/** GET `path` on the current cluster; resolves (never rejects) within `timeoutMs`. */
export async function getRaw(config: KubeConfig, path: string, timeoutMs: number, signal?: AbortSignal): Promise<RawAnswer> {
  const cluster = config.getCurrentCluster();
  if (!cluster) return { httpStatus: null, body: "", error: "kubeconfig has no current cluster", timedOut: false };
  const options: https.RequestOptions = {};
  try {
    await config.applyToHTTPSOptions(options);
  } catch (error) {
    return { httpStatus: null, body: "", error: `kubeconfig credentials unusable: ${(error as Error).message}`, timedOut: false };
  }
  const url = new URL(cluster.server + path);
  const transport = url.protocol === "http:" ? http : https;
  const agent = options.agent;

  return new Promise<RawAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      request.destroy();
      // applyToHTTPSOptions makes a fresh agent per call: drop its sockets with it.
      if (agent && typeof agent === "object" && "destroy" in agent) (agent as http.Agent).destroy();
      resolve(answer);
    };
    const request = transport.request(url, { ...options, method: "GET" }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      response.on("end", () => finish({ httpStatus: response.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8"), error: null, timedOut: false }));
      response.on("error", (error) => finish({ httpStatus: response.statusCode ?? null, body: "", error: error.message, timedOut: false }));
    });
    request.on("error", (error) => finish({ httpStatus: null, body: "", error: error.message, timedOut: false }));
    const timer = setTimeout(() => finish({ httpStatus: null, body: "", error: `no answer within ${formatSeconds(timeoutMs)}`, timedOut: true }), timeoutMs);
    const onAbort = () => finish({ httpStatus: null, body: "", error: "request aborted", timedOut: true });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    request.end();
  });
}
