// The maintenance checks' I/O, as ports: the Kubernetes objects they read, the host's file systems
// and a command run inside a pod. The real ones live beside (kube-reader.ts, host-filesystem.ts,
// pod-exec.ts); the simulator hands in its own (src/sim/ports/sim-maintenance.ts).
import type { NodeJson, PodJson } from "../kube/pod-json.js";

/** An object as the API returns it; checks read only the fields they need, defensively. */
export type ApiObject = Record<string, any>;

/** A read that failed: the sentence why (never a throw into a check). */
export interface ReadFailure {
  error: string;
}

/** The API objects the checks read; each call resolves to the list or to why it could not. */
export interface MaintenanceKube {
  jobs(namespace: string, signal: AbortSignal): Promise<ApiObject[] | ReadFailure>;
  cronJobs(namespace: string, signal: AbortSignal): Promise<ApiObject[] | ReadFailure>;
  pods(namespace: string, signal: AbortSignal): Promise<PodJson[] | ReadFailure>;
  pvcs(namespace: string, signal: AbortSignal): Promise<ApiObject[] | ReadFailure>;
  nodes(signal: AbortSignal): Promise<NodeJson[] | ReadFailure>;
  /** kubelet's /stats/summary through the API server's node proxy. */
  statsSummary(node: string, signal: AbortSignal): Promise<ApiObject | ReadFailure>;
  /** metrics.k8s.io NodeMetrics and PodMetrics (namespace's pods). */
  nodeMetrics(signal: AbortSignal): Promise<ApiObject[] | ReadFailure>;
  podMetrics(namespace: string, signal: AbortSignal): Promise<ApiObject[] | ReadFailure>;
}

/** statfs(2) of one path, in bytes. */
export interface FilesystemUsage {
  totalBytes: number;
  /** Free for unprivileged users (df's "Avail"). */
  availableBytes: number;
  /** Free in all, including the root reserve. */
  freeBytes: number;
}

/** The host's file systems; never the real disk in tests. */
export interface HostFilesystem {
  usage(path: string): Promise<FilesystemUsage | ReadFailure>;
}

/** What a command run in a pod gave back; output is capped. */
export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when it could not be run at all (no such pod, API down, websocket refused). */
  error: string | null;
}

/** Run argv in a container of a pod (client-node's Exec, a websocket), with a timeout and an output cap. */
export interface PodExec {
  exec(target: { namespace: string; pod: string; container: string }, argv: readonly string[], limits: { timeoutMs: number; maxOutputBytes: number }, signal: AbortSignal): Promise<ExecResult>;
}

/** True when a port answered with why it could not read. */
export function failed<T>(answer: T | ReadFailure): answer is ReadFailure {
  return typeof answer === "object" && answer !== null && !Array.isArray(answer) && typeof (answer as ReadFailure).error === "string" && Object.keys(answer as object).length === 1;
}
