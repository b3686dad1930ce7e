// A plain GET against the API server with the kubeconfig's CA and credentials, over the connection's
// keep-alive agent: /readyz, and the pages of a list. node:https directly, so the status code and body
// come back as they are and a refused connection stays distinguishable from a timeout.
import type { ClientRequest } from "node:http";
import { formatSeconds } from "./kube-error.js";
import type { KubeHttp } from "./kube-http.js";

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
export async function getRaw(kube: KubeHttp, path: string, timeoutMs: number, signal?: AbortSignal, maxBody = MAX_BODY): Promise<RawAnswer> {
  let options;
  try {
    options = await kube.requestOptions();
  } catch (error) {
    return { httpStatus: null, body: "", error: `kubeconfig credentials unusable: ${(error as Error).message}`, timedOut: false };
  }
  const url = new URL(kube.server + path);
  const deadline = Date.now() + timeoutMs;
  const first = await once(kube, url, options, timeoutMs, signal, maxBody);
  // A kept-alive connection the server closed while idle fails at once with a reset: that says nothing
  // about the API, so the request is sent once more on a fresh connection (Node's documented pattern).
  if (first.staleSocket && !signal?.aborted && Date.now() < deadline) return (await once(kube, url, options, deadline - Date.now(), signal, maxBody)).answer;
  return first.answer;
}

function once(
  kube: KubeHttp, url: URL, options: object, timeoutMs: number, signal: AbortSignal | undefined, maxBody: number,
): Promise<{ answer: RawAnswer; staleSocket: boolean }> {
  return new Promise((resolve) => {
    let settled = false;
    let request: ClientRequest;
    const finish = (answer: RawAnswer, staleSocket = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (answer.error !== null || answer.httpStatus === null) request.destroy();
      resolve({ answer, staleSocket });
    };
    request = kube.transport().request(url, { ...options, method: "GET" }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBody) chunks.push(chunk);
        else response.destroy(new Error(`answer larger than ${maxBody} bytes`));
      });
      response.on("end", () => finish({ httpStatus: response.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8"), error: null, timedOut: false }));
      response.on("error", (error) => finish({ httpStatus: response.statusCode ?? null, body: "", error: error.message, timedOut: false }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE");
      finish({ httpStatus: null, body: "", error: error.message, timedOut: false }, stale);
    });
    const timer = setTimeout(() => finish({ httpStatus: null, body: "", error: `no answer within ${formatSeconds(timeoutMs)}`, timedOut: true }), timeoutMs);
    const onAbort = () => finish({ httpStatus: null, body: "", error: "request aborted", timedOut: true });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    request.end();
  });
}
