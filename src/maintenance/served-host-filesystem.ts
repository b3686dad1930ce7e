// The HostFilesystem of a served, simulated node (`simulate --serve`): the serving process answers
// each path's usage on its control socket from the model, so `disk-filling` shows in the daemon's
// host-disk check and this machine's real disks are never read. On a real node statfs(2) is used.
import http from "node:http";
import type { FilesystemUsage, HostFilesystem, ReadFailure } from "./ports.js";

/** Ask `socketPath` (GET /v1/host/filesystem?path=P) for each path; a failure answers why. */
export function createServedHostFilesystem(socketPath: string, timeoutMs = 5_000): HostFilesystem {
  return {
    usage: (path) =>
      new Promise<FilesystemUsage | ReadFailure>((resolve) => {
        const request = http.get({ socketPath, path: `/v1/host/filesystem?path=${encodeURIComponent(path)}`, timeout: timeoutMs }, (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => {
            try {
              const body = JSON.parse(text) as FilesystemUsage & { error?: string };
              resolve(response.statusCode === 200 ? { totalBytes: body.totalBytes, availableBytes: body.availableBytes, freeBytes: body.freeBytes } : { error: body.error ?? `HTTP ${response.statusCode}` });
            } catch {
              resolve({ error: `the simulated host answered HTTP ${response.statusCode} without JSON` });
            }
          });
          response.on("error", (error) => resolve({ error: error.message }));
        });
        request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on("error", (error) => resolve({ error: `simulated host ${socketPath}: ${error.message}` }));
      }),
  };
}
