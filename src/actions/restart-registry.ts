// Runbook "If Pods Stuck in ImagePullBackOff", steps 2 and the check before 3: `docker restart
// registry`, then `curl http://localhost:5000/v2/_catalog` until it answers. Deleting the stuck
// pods is a separate command the core issues only after this one reports ok.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Action } from "../ports.js";
import type { DockerClient } from "../registry/docker-client.js";
import { fetchCatalog } from "../registry/registry-api.js";
import { deadline } from "../exec/deadline.js";

export interface RestartRegistryOptions {
  docker: DockerClient;
  container: string;
  endpoint: string;
  /** Between catalog polls; default 1 s. */
  pollIntervalMs?: number;
  /** Longest wait for the catalog when the caller's signal allows more; default 60 s. */
  verifyTimeoutMs?: number;
  /** dockerd's stop timeout (`docker restart -t`); default 10 s. */
  stopTimeoutS?: number;
}

/** The restart-registry remedy: restart the container, then verify `/v2/_catalog` answers 200. */
export function createRestartRegistry(options: RestartRegistryOptions): Action<{ kind: "restart-registry"; why: string }> {
  const { docker, container, endpoint } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const verifyTimeoutMs = options.verifyTimeoutMs ?? 60_000;
  const touched = [container];
  return {
    kind: "restart-registry",
    async run(_command, signal) {
      const restarted = await docker.restartContainer(container, signal, options.stopTimeoutS ?? 10);
      if (!restarted.ok) {
        const why = restarted.missing ? `Docker has no container named ${container}` : restarted.reason;
        return { ok: false, detail: `docker restart ${container} failed: ${why}`, touched };
      }
      const started = performance.now();
      const verify = deadline(verifyTimeoutMs, signal);
      const verifySignal = verify.signal;
      try {
        let last = "no catalog request finished";
        while (!verifySignal.aborted) {
          const catalog = await fetchCatalog(endpoint, verifySignal, Math.min(5_000, verifyTimeoutMs));
          const seconds = ((performance.now() - started) / 1_000).toFixed(1);
          if (catalog.ok) {
            const count = catalog.repositories.length;
            return {
              ok: true,
              detail: `restarted container ${container}; GET /v2/_catalog answered 200 with ${count} ${count === 1 ? "repository" : "repositories"} after ${seconds} s`,
              touched,
            };
          }
          if (!verifySignal.aborted) last = catalog.fact; // keep the last real answer, not "aborted"
          try {
            await sleep(pollIntervalMs, undefined, { signal: verifySignal });
          } catch {
            break; // the deadline passed while waiting
          }
        }
        const seconds = ((performance.now() - started) / 1_000).toFixed(1);
        return {
          ok: false,
          detail: `restarted container ${container}, but the catalog did not answer 200 within ${seconds} s; last: ${last}`,
          touched,
        };
      } finally {
        verify.dispose();
      }
    },
  };
}
