// The registry's own HTTP API, as the runbook checks it (`curl http://localhost:5000/v2/_catalog`).
// `GET /v2/` is the distribution spec's version check: 200, or 401 when the registry has auth
// turned on; either way the registry process is up and serving.
import { describeFailure, httpRequest } from "./http-request.js";

export interface ApiCheck {
  api: "up" | "down" | "unknown";
  /** What was seen, e.g. "GET http://localhost:5000/v2/ answered 200". */
  fact: string;
}

/** Ask `GET /v2/` once: up, down (refused, reset, 5xx) or unknown (timeout, anything odd). */
export async function checkRegistryApi(endpoint: string, signal: AbortSignal, timeoutMs: number): Promise<ApiCheck> {
  const url = new URL("/v2/", endpoint).toString();
  const result = await httpRequest({ url, timeoutMs, signal });
  if (result.kind === "failure") {
    // Refused or reset: nothing serves the port. A timeout is "could not tell" (docs/design.md §1).
    const down = ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "EADDRNOTAVAIL"].includes(result.code);
    return { api: down ? "down" : "unknown", fact: `GET ${url}: ${describeFailure(result)}` };
  }
  if (result.status === 200 || result.status === 401) return { api: "up", fact: `GET ${url} answered ${result.status}` };
  // A registry that answers 5xx is broken in a way a restart is for.
  if (result.status >= 500) return { api: "down", fact: `GET ${url} answered ${result.status}` };
  return { api: "unknown", fact: `GET ${url} answered ${result.status}, which a registry does not (is something else on that port?)` };
}

export type CatalogCheck = { ok: true; repositories: string[] } | { ok: false; fact: string };

/** `GET /v2/_catalog`: the runbook's proof that the registry serves its images again. */
export async function fetchCatalog(endpoint: string, signal: AbortSignal, timeoutMs: number): Promise<CatalogCheck> {
  const url = new URL("/v2/_catalog", endpoint).toString();
  const result = await httpRequest({ url, timeoutMs, signal });
  if (result.kind === "failure") return { ok: false, fact: `GET ${url}: ${describeFailure(result)}` };
  if (result.status !== 200) return { ok: false, fact: `GET ${url} answered ${result.status}` };
  try {
    const repositories = (JSON.parse(result.body) as { repositories?: unknown }).repositories;
    if (!Array.isArray(repositories)) throw new Error("no repositories array");
    return { ok: true, repositories: repositories.filter((name): name is string => typeof name === "string") };
  } catch (error) {
    return { ok: false, fact: `GET ${url} answered 200 with malformed JSON: ${(error as Error).message}` };
  }
}
