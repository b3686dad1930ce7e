// The HostFilesystem of a served, simulated node (`simulate --serve`): the serving process answers
// each path's usage on its control socket from the model, so `disk-filling` shows in the daemon's
// host-disk check and this machine's real disks are never read. On a real node statfs(2) is used.
import { httpRequest } from "../registry/http-request.js";
import type { FilesystemUsage, HostFilesystem, ReadFailure } from "./ports.js";

/** Ask `socketPath` (GET /v1/host/filesystem?path=P) for each path, within `timeoutMs`; a failure answers why. */
export function createServedHostFilesystem(socketPath: string, timeoutMs = 5_000): HostFilesystem {
  return {
    async usage(path): Promise<FilesystemUsage | ReadFailure> {
      const answer = await httpRequest({ socketPath, url: `/v1/host/filesystem?path=${encodeURIComponent(path)}`, timeoutMs });
      if (answer.kind === "failure") return { error: `simulated host ${socketPath}: ${answer.message}` };
      try {
        const body = JSON.parse(answer.body) as FilesystemUsage & { error?: string };
        return answer.status === 200 ? { totalBytes: body.totalBytes, availableBytes: body.availableBytes, freeBytes: body.freeBytes } : { error: body.error ?? `HTTP ${answer.status}` };
      } catch {
        return { error: `the simulated host answered HTTP ${answer.status} without JSON` };
      }
    },
  };
}
