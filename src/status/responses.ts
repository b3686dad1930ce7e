// Writing answers: JSON bodies, JSON errors `{ "error": "...", "detail": ... }`, Prometheus text.
import type { ServerResponse } from "node:http";

/** A request the server refuses, with the HTTP status that says why. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly detail: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** `body` as the server writes it: pretty JSON (people read it with curl). */
export function jsonText(body: unknown): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Send `body` as pretty JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendJsonText(response, status, jsonText(body));
}

/** Send JSON already serialised (by jsonText, in a query's budgeted turn or on the reader's thread). */
export function sendJsonText(response: ServerResponse, status: number, text: string | Uint8Array): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}

/** Send an HttpError (or anything thrown) as a JSON error. */
export function sendError(response: ServerResponse, error: unknown): void {
  const http = error instanceof HttpError ? error : new HttpError(500, "internal error", String(error));
  for (const [name, value] of Object.entries(http.headers)) {
    if (!response.headersSent) response.setHeader(name, value);
  }
  sendJson(response, http.status, { error: http.message, detail: http.detail });
}

/** Send plain text (the Prometheus exposition format). */
export function sendText(response: ServerResponse, status: number, text: string, type: string): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  response.end(text);
}

/** A whole raw HTTP/1.1 error answer for a socket the HTTP parser gave up on (clientError). */
export function rawErrorResponse(status: number, reason: string, message: string): string {
  const body = `${JSON.stringify({ error: message, detail: null })}\n`;
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}
