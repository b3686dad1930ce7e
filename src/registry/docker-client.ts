// The few Docker Engine API calls the runbook's `docker ps | grep registry` and `docker restart
// registry` need, over dockerd's unix socket. Paths are unversioned by default: dockerd then answers
// at its own API version. A pin fails on some daemon either way: Docker 29 refuses anything older
// than v1.44, Debian 12's Docker 20.10 anything newer than v1.41 (HTTP 400 "client version … is too new").
import { describeFailure, httpRequest, type HttpResult } from "./http-request.js";

export interface DockerClientOptions {
  socketPath: string;
  /** "1.41" pins `/v1.41/…`; null (default) uses dockerd's current version. */
  apiVersion?: string | null;
  /** Per request; default 5 s. A restart gets its stop timeout on top. */
  timeoutMs?: number;
}

/** What `docker inspect` says about a container, or why it could not be asked. */
export type ContainerInspection =
  | { kind: "found"; status: string; running: boolean; restarting: boolean; exitCode: number | null; startedAt: string | null; restartPolicy?: string | null }
  | { kind: "missing"; message: string }
  | { kind: "unreachable"; reason: string };

export type RestartOutcome = { ok: true } | { ok: false; missing: boolean; reason: string };

export interface DockerClient {
  inspectContainer(name: string, signal: AbortSignal): Promise<ContainerInspection>;
  /** `docker restart -t stopTimeoutS name`; resolves when dockerd says the container was restarted. */
  restartContainer(name: string, signal: AbortSignal, stopTimeoutS?: number): Promise<RestartOutcome>;
}

/** A Docker Engine API client bound to one socket. */
export function createDockerClient(options: DockerClientOptions): DockerClient {
  const prefix = options.apiVersion ? `/v${options.apiVersion}` : "";
  const timeoutMs = options.timeoutMs ?? 5_000;
  const socket = options.socketPath;
  const unreachable = (result: Extract<HttpResult, { kind: "failure" }>): string => {
    if (result.code === "ENOENT") return `Docker socket ${socket} is missing (is dockerd installed and running?)`;
    if (result.code === "EACCES") return `permission denied on Docker socket ${socket}`;
    if (result.code === "ECONNREFUSED") return `Docker socket ${socket} refuses connections (dockerd is not running)`;
    return `dockerd at ${socket}: ${describeFailure(result)}`;
  };
  return {
    async inspectContainer(name, signal) {
      const result = await httpRequest({ socketPath: socket, url: `${prefix}/containers/${encodeURIComponent(name)}/json`, timeoutMs, signal });
      if (result.kind === "failure") return { kind: "unreachable", reason: unreachable(result) };
      const message = errorMessage(result.body);
      if (result.status === 404 && /no such container/i.test(message)) return { kind: "missing", message };
      if (result.status !== 200) return { kind: "unreachable", reason: `dockerd answered HTTP ${result.status}: ${message}` };
      let state: Record<string, unknown>;
      let restartPolicy: string | null = null;
      try {
        const parsed: unknown = JSON.parse(result.body);
        // HostConfig.RestartPolicy.Name: "no", "always", "unless-stopped", "on-failure" ("" is "no").
        const policy = (parsed as { HostConfig?: { RestartPolicy?: { Name?: unknown } } } | null)?.HostConfig?.RestartPolicy?.Name;
        if (typeof policy === "string") restartPolicy = policy === "" ? "no" : policy;
        const candidate = (parsed as { State?: unknown } | null)?.State;
        if (typeof candidate !== "object" || candidate === null) throw new Error("no State object");
        state = candidate as Record<string, unknown>;
      } catch (error) {
        return { kind: "unreachable", reason: `dockerd answered malformed JSON for container ${name}: ${(error as Error).message}` };
      }
      if (typeof state.Status !== "string") return { kind: "unreachable", reason: `dockerd's answer for container ${name} has no State.Status` };
      return {
        kind: "found",
        status: state.Status,
        running: state.Running === true,
        restarting: state.Restarting === true,
        exitCode: typeof state.ExitCode === "number" ? state.ExitCode : null,
        startedAt: typeof state.StartedAt === "string" ? state.StartedAt : null,
        restartPolicy,
      };
    },
    async restartContainer(name, signal, stopTimeoutS = 10) {
      const result = await httpRequest({
        socketPath: socket,
        url: `${prefix}/containers/${encodeURIComponent(name)}/restart?t=${stopTimeoutS}`,
        method: "POST",
        // dockerd waits up to `t` seconds for the old process to stop before it starts the new one.
        timeoutMs: timeoutMs + stopTimeoutS * 1_000,
        signal,
      });
      if (result.kind === "failure") return { ok: false, missing: false, reason: unreachable(result) };
      if (result.status === 204 || result.status === 200) return { ok: true };
      const message = errorMessage(result.body);
      return { ok: false, missing: result.status === 404, reason: `dockerd answered HTTP ${result.status}: ${message}` };
    },
  };
}

/** Docker's error bodies are `{"message": "…"}`; anything else is shown as a short excerpt. */
function errorMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = (parsed as { message?: unknown } | null)?.message;
    if (typeof message === "string") return message;
  } catch {
    // not JSON: fall through
  }
  return body.trim().slice(0, 200) || "(empty body)";
}
