// The body of `GET /containers/{name}/json` as dockerd returns it for the registry container,
// trimmed to the fields a client reads: State, Name, Config.Image, RestartCount.
import type { RegistryDriver } from "../registry/registry-driver.js";
import { rfc3339Nano } from "./nano-time.js";

/** Docker's zero time, shown for FinishedAt while a container has never stopped. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Build Docker's inspect JSON for the registry container in its current state. */
export function containerInspectBody(
  id: string,
  registry: RegistryDriver,
  times: { createdAt: bigint; startedAt: bigint; finishedAt: bigint | null },
): Record<string, unknown> {
  const status = registry.containerState();
  const running = status === "running" || status === "paused" || status === "restarting";
  return {
    Id: id,
    Created: rfc3339Nano(times.createdAt),
    Name: `/${registry.containerName}`,
    RestartCount: 0,
    State: {
      Status: status,
      Running: running,
      Paused: status === "paused",
      Restarting: status === "restarting",
      OOMKilled: false,
      Dead: status === "dead",
      Pid: status === "running" || status === "paused" ? 4242 : 0,
      // The registry exits with 2 on `docker stop` (SIGTERM); a restart loop keeps the last crash's
      // code, 1 for a registry that dies on a bad config, as a real dockerd shows it.
      ExitCode: status === "exited" || status === "dead" ? 2 : status === "restarting" ? 1 : 0,
      Error: "",
      StartedAt: rfc3339Nano(times.startedAt),
      FinishedAt: times.finishedAt === null ? ZERO_TIME : rfc3339Nano(times.finishedAt),
    },
    Config: { Image: "registry:2", ExposedPorts: { "5000/tcp": {} } },
    HostConfig: { RestartPolicy: { Name: registry.restartPolicy?.() ?? "always", MaximumRetryCount: 0 } },
  };
}
