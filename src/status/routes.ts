// The endpoints as a table a reader can see whole. Read endpoints answer on both sockets; control
// endpoints only on control.sock (root only). Handlers only read the in-memory snapshot or make a
// bounded journal query (read on its own thread), so none of them can hold up the loop.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JournalReads } from "./journal-reads.js";
import type { StatusSource } from "./source.js";
import { readJsonBody } from "./body.js";
import { drill, maintenanceRun, usageReport } from "./maintenance-routes.js";
import { renderMetrics } from "./metrics.js";
import { parseBootsQuery, parseHistoryQuery, parseNoQuery, parseNoteBody, parsePauseBody } from "./requests.js";
import { HttpError, sendJson, sendJsonText, sendText } from "./responses.js";
import { buildStatusView } from "./status-view.js";

/** Everything a handler may use. */
export interface RouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  source: StatusSource;
  now: number;
  /** History and boots, read off the loop's thread (or in short budgeted turns on it). */
  reads: JournalReads;
}

/** One endpoint: method, whether it needs the control socket, and its handler. */
export interface Route {
  method: "GET" | "POST";
  control: boolean;
  handle(context: RouteContext): Promise<void> | void;
}

const status: Route = {
  method: "GET", control: false,
  handle: ({ url, response, source, now }) => {
    parseNoQuery(url.searchParams);
    sendJson(response, 200, buildStatusView(source.snapshot(now), now));
  },
};

const history: Route = {
  method: "GET", control: false,
  handle: async ({ url, response, now, reads }) => {
    const filter = parseHistoryQuery(url.searchParams, now);
    sendJsonText(response, 200, await reads.historyText(filter));
  },
};

const boots: Route = {
  method: "GET", control: false,
  handle: async ({ url, response, reads }) => {
    const limit = parseBootsQuery(url.searchParams);
    sendJsonText(response, 200, await reads.bootsText(limit));
  },
};

const healthz: Route = {
  method: "GET", control: false,
  // The daemon answers and its loop works: it is alive. The node's health is /v1/status's business;
  // a loop whose iterations keep failing (a full disk) is not alive, whatever the socket does.
  handle: ({ response, source, now }) => {
    let snapshot;
    try {
      snapshot = source.snapshot(now);
    } catch (error) {
      sendJson(response, 503, { ok: false, error: `the daemon cannot read its own state: ${String(error)}` });
      return;
    }
    if (snapshot.trouble) {
      sendJson(response, 503, { ok: false, phase: snapshot.phase, version: snapshot.version, trouble: snapshot.trouble });
      return;
    }
    sendJson(response, 200, { ok: true, phase: snapshot.phase, version: snapshot.version });
  },
};

const metrics: Route = {
  method: "GET", control: false,
  handle: ({ response, source, now }) => {
    sendText(response, 200, renderMetrics(buildStatusView(source.snapshot(now), now)), "text/plain; version=0.0.4; charset=utf-8");
  },
};

const pause: Route = {
  method: "POST", control: true,
  handle: async ({ request, response, source, now }) => {
    const body = parsePauseBody(await readJsonBody(request));
    const record = source.pause(body.durationMs, body.reason, body.by);
    sendJson(response, 200, { paused: record });
  },
};

const resume: Route = {
  method: "POST", control: true,
  handle: async ({ request, response, source }) => {
    const body = parseNoteBody(await readJsonBody(request), "resumed by operator");
    source.resume(body.reason, body.by);
    sendJson(response, 200, { resumed: true, reason: body.reason, by: body.by });
  },
};

const checkNow: Route = {
  method: "POST", control: true,
  handle: async ({ request, response, source }) => {
    const body = parseNoteBody(await readJsonBody(request), "check requested by operator");
    source.checkNow(body.reason, body.by);
    sendJson(response, 202, { checking: true, reason: body.reason, by: body.by });
  },
};

/** Path → route. */
export const ROUTES: ReadonlyMap<string, Route> = new Map([
  ["/v1/status", status],
  ["/v1/history", history],
  ["/v1/boots", boots],
  ["/healthz", healthz],
  ["/metrics", metrics],
  ["/v1/pause", pause],
  ["/v1/resume", resume],
  ["/v1/check-now", checkNow],
  ["/v1/maintenance/run", maintenanceRun],
  ["/v1/drill", drill],
  ["/v1/maintenance/report", usageReport],
]);

/** Find the route for a request, or throw the HttpError that says why there is none. */
export function findRoute(method: string, pathname: string, controlSocket: boolean): Route {
  const route = ROUTES.get(pathname);
  if (!route) throw new HttpError(404, "no such endpoint", { path: pathname, endpoints: [...ROUTES.keys()] });
  if (route.method !== method && !(method === "HEAD" && route.method === "GET")) {
    throw new HttpError(405, "method not allowed", { path: pathname, allowed: route.method }, { allow: route.method });
  }
  if (route.control && !controlSocket) {
    throw new HttpError(403, "control endpoints answer only on control.sock (root only)", { path: pathname });
  }
  return route;
}
