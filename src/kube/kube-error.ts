// Turn whatever client-node throws into one readable sentence. client-node 1.x throws ApiException
// whose `.body` is the raw response text (a JSON Status object, or anything at all from a broken
// server), node-fetch's FetchError for socket trouble, an AbortError on our timeout, and a SyntaxError
// when a 200 answer is not JSON.
import { ApiException } from "@kubernetes/client-node";

/** The HTTP status of a failed API call, or null when no HTTP answer came back. */
export function kubeErrorCode(error: unknown): number | null {
  if (error instanceof ApiException) return error.code;
  const code = (error as { statusCode?: unknown; code?: unknown } | null)?.statusCode ?? (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : null;
}

/** "HTTP 404 NotFound: pods \"x\" not found", "connect ECONNREFUSED 127.0.0.1:6443", "no answer within 5 s". */
export function describeKubeError(error: unknown, timeoutMs?: number): string {
  if (error instanceof ApiException) return `HTTP ${error.code}${statusText(error.body)}`;
  if (isAbort(error)) return timeoutMs === undefined ? "request aborted" : `no answer within ${formatSeconds(timeoutMs)}`;
  if (error instanceof SyntaxError) return `the API answered with malformed JSON (${error.message})`;
  if (error instanceof Error) {
    const code = kubeErrorCode(error);
    // node-fetch wraps socket errors: "request to https://… failed, reason: connect ECONNREFUSED …".
    const reason = /reason: (.*)$/.exec(error.message)?.[1];
    return `${code !== null ? `HTTP ${code}: ` : ""}${reason ?? error.message}`;
  }
  return String(error);
}

/** "HTTP 410 Expired: too old resource version: 12 (4031)", from a status code and a raw (Status) body. */
export function describeHttpFailure(code: number, body: string): string {
  return `HTTP ${code}${statusText(body)}`;
}

/** True for an AbortSignal firing, however the library surfaced it. */
export function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const type = (error as { type?: unknown } | null)?.type;
  return name === "AbortError" || name === "TimeoutError" || type === "aborted";
}

/** "5 s", "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function statusText(body: unknown): string {
  if (body === undefined || body === null || body === "") return "";
  const text = typeof body === "string" ? body : JSON.stringify(body);
  try {
    const status = JSON.parse(text) as { reason?: unknown; message?: unknown };
    const reason = typeof status.reason === "string" ? ` ${status.reason}` : "";
    const message = typeof status.message === "string" ? `: ${status.message}` : "";
    if (reason || message) return `${reason}${message}`;
  } catch {
    // Not a Status object: fall through to the raw text.
  }
  return `: ${text.trim().slice(0, 200)}`;
}
