// Option values checked by the CLI itself, with the very rules the daemon's socket applies
// (src/status/requests.ts), so `pause --for banana` is refused with exit 64 before any socket is
// asked, also when no daemon runs.
import { InvalidArgumentError } from "commander";
import { parseBootsQuery, parseHistoryQuery, parsePauseBody } from "../status/requests.js";
import { HttpError } from "../status/responses.js";

// The socket's rule on `value`: its first issue becomes commander's usage error.
function checked(check: () => unknown, value: string): string {
  try {
    check();
    return value;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const issue = (error.detail as { message?: string }[] | null)?.[0]?.message ?? error.message;
    throw new InvalidArgumentError(issue);
  }
}

/** `--limit` of history: 1–1000. */
export const historyLimit = (value: string) => checked(() => parseHistoryQuery(new URLSearchParams({ limit: value }), Date.now()), value);

/** `--limit` of boots: 1–1000. */
export const bootsLimit = (value: string) => checked(() => parseBootsQuery(new URLSearchParams({ limit: value })), value);

/** `--since`: ms since the epoch, an ISO 8601 time, or a duration back from now. */
export const since = (value: string) => checked(() => parseHistoryQuery(new URLSearchParams({ since: value }), Date.now()), value);

/** `--kind`: one of the history's kinds. */
export const historyKind = (value: string) => checked(() => parseHistoryQuery(new URLSearchParams({ kind: value }), Date.now()), value);

/** `pause --for`: a duration between 1s and 7d. */
export const pauseDuration = (value: string) => checked(() => parsePauseBody({ duration: value, reason: "check" }), value);
