// What clients may send, validated with zod: query parameters of the read endpoints and bodies of
// the control endpoints. A bad value becomes 400 with zod's issues as the detail.
import { z } from "zod";
import { parseDuration } from "../config/duration.js";
import type { HistoryFilter, HistoryKind } from "../journal/types.js";
import { HttpError } from "./responses.js";

/** The most lines one history or boots answer carries: keeps every journal query bounded. */
export const MAX_LIMIT = 1000;
/** A pause longer than a week is a forgotten pause, not maintenance. */
export const MAX_PAUSE_MS = 7 * 86_400_000;
/** A pause shorter than a second is a typo ("0.0001" meant something else). */
export const MIN_PAUSE_MS = 1_000;

const HISTORY_KINDS = ["boot", "phase", "observation", "action", "pause", "note"] as const satisfies readonly HistoryKind[];

const limit = (fallback: number) => z.coerce.number().int().min(1).max(MAX_LIMIT).default(fallback);

/** `since`: ms since the epoch, an ISO time, or a duration back from now ("1h"). */
const since = z.string().transform((text, ctx) => {
  if (/^\d{10,}$/.test(text)) return { at: Number(text) };
  const ago = parseDuration(text);
  if (ago !== null) return { ago };
  const parsed = Date.parse(text);
  if (!Number.isNaN(parsed)) return { at: parsed };
  ctx.addIssue({ code: "custom", message: `not a time (ms since epoch, ISO 8601, or a duration like "1h"): ${text}` });
  return z.NEVER;
});

const historyQuery = z.strictObject({ limit: limit(50), since: since.optional(), kind: z.enum(HISTORY_KINDS).optional() });
const bootsQuery = z.strictObject({ limit: limit(10) });

const reason = z.string().trim().min(1, "a reason is required").max(500);
const by = z.string().trim().min(1).max(100).default("control socket");

const pauseBody = z.strictObject({
  duration: z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null || !(ms >= MIN_PAUSE_MS) || ms > MAX_PAUSE_MS) {
      ctx.addIssue({ code: "custom", message: `a duration between 1s and 7d ("30m", "2h", or seconds): ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    // The journal keeps whole milliseconds: "1.0005s" must not reach it as 1000.5.
    return Math.round(ms);
  }),
  reason,
  by,
});

const noteBody = (fallback: string) => z.strictObject({ reason: reason.default(fallback), by });

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
  throw new HttpError(400, `invalid ${what}`, issues);
}

function queryObject(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params.entries());
}

/** GET /v1/history: limit (1–1000), since, kind. */
export function parseHistoryQuery(params: URLSearchParams, now: number): HistoryFilter & { limit: number } {
  const query = parse(historyQuery, queryObject(params), "query");
  const filter: HistoryFilter & { limit: number } = { limit: query.limit };
  if (query.since) filter.since = "at" in query.since ? query.since.at : now - query.since.ago;
  if (query.kind) filter.kind = query.kind;
  return filter;
}

/** GET /v1/boots: limit (1–1000). */
export function parseBootsQuery(params: URLSearchParams): number {
  return parse(bootsQuery, queryObject(params), "query").limit;
}

/** Endpoints without parameters refuse any, so a typo is not silently ignored. */
export function parseNoQuery(params: URLSearchParams): void {
  parse(z.strictObject({}), queryObject(params), "query");
}

/** POST /v1/pause: `{ "duration": "30m", "reason": "…", "by"?: "…" }`. */
export function parsePauseBody(body: unknown): { durationMs: number; reason: string; by: string } {
  const parsed = parse(pauseBody, body, "body");
  return { durationMs: parsed.duration, reason: parsed.reason, by: parsed.by };
}

/** POST /v1/resume and /v1/check-now: `{ "reason"?: "…", "by"?: "…" }`. */
export function parseNoteBody(body: unknown, fallbackReason: string): { reason: string; by: string } {
  return parse(noteBody(fallbackReason), body, "body");
}
