// One POST of a JSON body to a receiver, with every limit a daemon that must never hang needs:
// a deadline for the whole exchange, no redirects (a request carrying a token or a secret URL must
// not be replayed to wherever a Location header points), and the answer read up to a small cap.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { parseRetryAfter } from "./backoff.js";

/** How one POST went; `detail` never contains the URL (it may be the secret). */
export interface PostResult {
  ok: boolean;
  status: number | null;
  detail: string;
  /** From Retry-After, when the receiver sent one. */
  retryAfterMs: number | null;
}

export interface PostOptions {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Bytes of the answer kept (the rest is discarded and the connection closed). Default 16 KiB. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** POST `body` as JSON; never throws, never follows a redirect. */
export function postJson(options: PostOptions): Promise<PostResult> {
  const cap = options.maxResponseBytes ?? 16 * 1024;
  const now = options.now ?? Date.now;
  const payload = Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", abort);
      resolve(result);
    };
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      finish({ ok: false, status: null, detail: "the URL is not valid", retryAfterMs: null });
      return;
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(payload.length), "user-agent": "songnodes-watchdog", ...options.headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, status: null, detail: `no answer within ${options.timeoutMs} ms`, retryAfterMs: null });
    }, options.timeoutMs);
    const abort = () => {
      req.destroy();
      finish({ ok: false, status: null, detail: "aborted: the daemon is stopping", retryAfterMs: null });
    };
    options.signal?.addEventListener("abort", abort, { once: true });
    req.on("error", (error: NodeJS.ErrnoException) => finish({ ok: false, status: null, detail: describeError(error), retryAfterMs: null }));
    req.on("response", (res: IncomingMessage) => readAnswer(res, cap, now, (result) => {
      req.destroy();
      finish(result);
    }));
    req.end(payload);
  });
}

function readAnswer(res: IncomingMessage, cap: number, now: () => number, done: (result: PostResult) => void): void {
  const status = res.statusCode ?? 0;
  const retryAfterMs = parseRetryAfter(headerValue(res.headers["retry-after"]), now());
  let kept = 0;
  let text = "";
  let truncated = false;
  const end = () => {
    const body = text.replace(/\s+/g, " ").trim().slice(0, 200);
    if (status >= 200 && status < 300) return done({ ok: true, status, detail: `HTTP ${status}`, retryAfterMs: null });
    const why = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed (the request may carry a secret)` : `HTTP ${status}${body ? `: ${body}` : ""}${truncated ? " …" : ""}`;
    done({ ok: false, status, detail: why, retryAfterMs });
  };
  res.on("data", (chunk: Buffer) => {
    if (kept >= cap) {
      truncated = true;
      res.destroy();
      end();
      return;
    }
    const part = chunk.subarray(0, cap - kept);
    kept += part.length;
    text += part.toString("utf8");
  });
  res.on("end", end);
  res.on("error", end);
  res.on("aborted", end);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// Node's messages for connection errors name host and port (never the path, which may be secret).
function describeError(error: NodeJS.ErrnoException): string {
  if (error.code === "ECONNREFUSED") return "connection refused";
  if (error.code === "ECONNRESET") return "connection reset";
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return `cannot resolve the host (${error.code})`;
  return error.code ?? error.message;
}
