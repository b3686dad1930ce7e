// One HTTP request with a hard deadline, over TCP (the registry on localhost:5000) or a unix socket
// (dockerd). Node's http client has no overall timeout of its own, and a server that accepts and
// never answers would hang a probe forever; every outcome here is a value, never a throw.
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";

export interface HttpRequestOptions {
  /** A full URL (http or https), or a path when `socketPath` is given. */
  url: string;
  socketPath?: string;
  method?: "GET" | "HEAD" | "POST";
  timeoutMs: number;
  signal?: AbortSignal;
  /** Larger bodies are a failure, not a memory problem; default 1 MiB. */
  maxBodyBytes?: number;
}

export type HttpResult =
  | { kind: "response"; status: number; headers: IncomingHttpHeaders; body: string }
  /** `code` is the errno (ECONNREFUSED, ENOENT, EACCES, …) or TIMEOUT, ABORTED, TOO_LARGE. */
  | { kind: "failure"; code: string; message: string };

/** Send one request without keep-alive and collect the body. */
export function httpRequest(options: HttpRequestOptions): Promise<HttpResult> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ kind: "failure", code: "ABORTED", message: "aborted before sending" });
      return;
    }
    let settled = false;
    const finish = (result: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      request.destroy();
      resolve(result);
    };
    const fail = (code: string, message: string) => finish({ kind: "failure", code, message });
    let request: http.ClientRequest;
    try {
      const common = { method: options.method ?? "GET", agent: false as const, headers: { accept: "application/json" } };
      request = options.socketPath
        ? http.request({ ...common, socketPath: options.socketPath, path: options.url, headers: { ...common.headers, host: "docker" } })
        : (new URL(options.url).protocol === "https:" ? https : http).request(options.url, common);
    } catch (error) {
      resolve({ kind: "failure", code: "BAD_REQUEST", message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const timer = setTimeout(() => fail("TIMEOUT", `no answer within ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => fail("ABORTED", "the caller's deadline passed");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "ERROR", error.message));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) fail("TOO_LARGE", `answer larger than ${maxBodyBytes} bytes`);
        else chunks.push(chunk);
      });
      response.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "ERROR", error.message));
      response.on("end", () =>
        finish({ kind: "response", status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    request.end();
  });
}

/** A short human phrase for a failure ("connection refused", "no answer within 5000 ms"). */
export function describeFailure(failure: { code: string; message: string }): string {
  switch (failure.code) {
    case "ECONNREFUSED": return "connection refused";
    case "ECONNRESET": return "connection reset";
    case "ENOENT": return "no such socket (ENOENT)";
    case "EACCES": return "permission denied (EACCES)";
    default: return failure.message.includes(failure.code) ? failure.message : `${failure.message} (${failure.code})`;
  }
}
