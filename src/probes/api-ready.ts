// The API probe: GET /readyz on k3s's API server. Only a refused connection or a failing readiness
// check is "bad" (k3s's API is down or not ready); a timeout, a TLS or credentials problem means we
// could not tell, which is "unknown" and never restarts k3s (docs/design.md §1).
import type { ApiDetail, Reading } from "../core/types.js";
import type { KubeClient } from "../kube/client.js";
import type { Clock, Probe } from "../ports.js";
import { createStandingOk } from "./standing-ok.js";

// The API answered but would not let us judge: bad credentials, forbidden, or rate-limited.
const CANNOT_JUDGE = new Set([401, 403, 407, 429]);

/** Judge /readyz from its status code (or the error when none came back) and its body. */
export function interpretReadyz(httpStatus: number | null, error: string | null, body = ""): Reading<ApiDetail> {
  const detail = { httpStatus };
  if (httpStatus === 200) return { status: "ok", reason: "API ready (/readyz 200)", detail };
  if (httpStatus !== null) {
    // kube-apiserver lists each check as "[+]name ok" or "[-]name failed: reason withheld" and answers
    // 500 when one fails. Only that answer judges the API: a 404 or a redirect means we are looking in
    // the wrong place (a proxy, another server on the port), and 401/403/429 will not let us look.
    const failing = body.split("\n").find((line) => line.startsWith("[-]"));
    if (httpStatus >= 500 && failing) {
      return { status: "bad", reason: `API not ready: /readyz answered HTTP ${httpStatus}, ${failing.trim()}`, detail };
    }
    const why = CANNOT_JUDGE.has(httpStatus) ? "cannot judge the API" : "not the API's readiness answer";
    return { status: "unknown", reason: `${why}: /readyz answered HTTP ${httpStatus}${firstLine(body)}`, detail };
  }
  const why = error ?? "no answer";
  // Nothing listens on the API port: k3s's API server is down. Anything else (timeout, TLS, reset)
  // says more about the path to the API than about the API, so we do not judge it.
  if (/ECONNREFUSED|connection refused/i.test(why)) return { status: "bad", reason: `API not answering: ${why}`, detail };
  return { status: "unknown", reason: `could not reach the API: ${why}`, detail };
}

function firstLine(body: string): string {
  const line = body.trim().split("\n")[0]?.slice(0, 200);
  return line ? `: ${line}` : "";
}

/**
 * How long a ready API may go without a /readyz while the watches' connections hold and nothing
 * happens: they break within milliseconds when the API server goes away, so /readyz adds only what
 * they cannot tell (a server that answers but is not ready, or hangs), and that at most this late,
 * half the 2 min `apiBudget` that must pass before any remedy. At 30 s the idle daemon's looks cost
 * twice as much (docs/benchmarks.md, "Resting").
 */
export const API_QUIET_RECHECK_MS = 60_000;

export interface ApiReadyProbeDeps {
  client: KubeClient;
  /** For the re-check bound; the real clock by default. */
  clock?: Clock;
  quietRecheckMs?: number;
}

/** The API readiness probe over the kubeconfig's connection. */
export function createApiReadyProbe(deps: ApiReadyProbeDeps): Probe<ApiDetail> {
  // The last /readyz that answered ready, with the watches' trouble count just before it was sent.
  const lastReady = createStandingOk(deps.clock, deps.quietRecheckMs ?? API_QUIET_RECHECK_MS);
  const standsFor = (): number => {
    const watches = deps.client.watchState();
    return watches.open > 0 ? lastReady.standsFor(watches.disturbances) : 0;
  };
  return {
    name: "api",
    async read(signal) {
      const done = lastReady.begin(deps.client.watchState().disturbances);
      let reading: Reading<ApiDetail>;
      try {
        const answer = await deps.client.get("/readyz", signal);
        reading = interpretReadyz(answer.httpStatus, answer.error, answer.body);
      } catch (error) {
        reading = { status: "unknown", reason: `API probe failed: ${error instanceof Error ? error.message : String(error)}`, detail: null };
      }
      done(reading.status === "ok");
      return reading;
    },
    // Every watch that ended, and every refused reconnect, since that /readyz counts as news; with
    // no watch open nothing would tell of an API going away.
    quiet: () => standsFor() > 0,
    standsFor,
    // A watch that breaks, or a refused reconnect, is the first sign of an API going away: look now,
    // not at the next tick.
    watch(wake) {
      return deps.client.onTrouble((why) => wake(`${why}: probing the API now`));
    },
  };
}
