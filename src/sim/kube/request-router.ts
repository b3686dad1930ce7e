// One request through the simulated API server: fault mode, body limit, bearer token, then health,
// /version, discovery or a resource. Every failure leaves as a Status object, never a crash.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { discoveryDocument, SIM_VERSION } from "./discovery.js";
import { healthAnswer, isHealthPath } from "./health-endpoints.js";
import { parseResourcePath } from "./request-target.js";
import { sendJson, serveResource, type ResourceContext } from "./resource-handlers.js";
import { ApiError, failureStatus } from "./status-object.js";
import { extraAnswer, type NodeExtras } from "./node-extras.js";

/** The API server's fault modes (docs/simulator-api.md). */
export type ApiFaultMode = "ok" | "down" | "error500" | "hang" | "garbage" | "watch-gone" | "watch-gone-once" | "watch-garbage";

/** What the router needs per server. */
export interface RouterContext extends ResourceContext {
  token: string;
  bodyLimitBytes: number;
  mode: () => ApiFaultMode;
  serverAddress: () => string;
  /** Stats summary and metrics API answers, when the model supplies them. */
  extras?: NodeExtras;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Read the body up to `limit` bytes; null when it is larger (the caller answers 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      // Drain a moderately oversized body so the 413 reaches the client; cut off a flood.
      else if (size > limit * 4) req.destroy();
    });
    req.on("end", () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on("error", () => resolve(null));
    req.on("close", () => resolve(null));
  });
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Handle one request; never throws. */
export async function routeRequest(ctx: RouterContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const mode = ctx.mode();
  // A server that accepted the connection and then never answers: the client's own timeout must fire.
  if (mode === "hang") return;
  const url = new URL(req.url ?? "/", "https://sim.invalid");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  try {
    if (mode === "garbage") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"kind":"Status","apiVersion":"v1","items":[{"metadata":{"name":"garb\u0000');
      return;
    }
    if (mode === "error500") {
      if (isHealthPath(path)) {
        const { code, body } = healthAnswer(path, url.searchParams.has("verbose"), true);
        return sendText(res, code, body);
      }
      throw new ApiError(failureStatus(500, "Internal error occurred: etcdserver: request timed out"));
    }
    const body = await readBody(req, ctx.bodyLimitBytes);
    if (body === null) {
      res.setHeader("Connection", "close");
      throw new ApiError(failureStatus(413, `Request entity too large: limit is ${ctx.bodyLimitBytes}`));
    }
    // k3s lets anonymous clients read health and version (system:public-info-viewer).
    if (isHealthPath(path) && req.method === "GET") {
      const { code, body: text } = healthAnswer(path, url.searchParams.has("verbose"), false);
      return sendText(res, code, text);
    }
    if (path === "/version" && req.method === "GET") return sendJson(res, 200, SIM_VERSION);
    if (!tokenMatches(req.headers.authorization, ctx.token)) throw new ApiError(failureStatus(401, "Unauthorized"));
    const extra = req.method === "GET" ? extraAnswer(ctx.extras, path) : undefined;
    if (extra) return sendJson(res, extra.code, extra.body);
    const document = discoveryDocument(path, ctx.serverAddress());
    if (document) {
      if (req.method !== "GET") throw new ApiError(failureStatus(405, "the server does not allow this method on the requested resource"));
      return sendJson(res, 200, document);
    }
    const target = parseResourcePath(path);
    if (!target) throw new ApiError(failureStatus(404, "the server could not find the requested resource"));
    serveResource(ctx, target, req, res, body, url);
  } catch (error) {
    const status = error instanceof ApiError ? error.status : failureStatus(500, `Internal error occurred: ${String(error)}`);
    if (res.headersSent) res.destroy();
    else sendJson(res, status.code, status);
  }
}
