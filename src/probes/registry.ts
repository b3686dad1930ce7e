// Runbook "If Pods Stuck in ImagePullBackOff", step 1: `docker ps | grep registry` and
// `curl http://localhost:5000/v2/_catalog`. The container's state comes from the Docker Engine API,
// the registry's health from its own `GET /v2/`; what pods need is the API, so the API decides
// wherever it gives a clear answer. docs/host-adapters.md has the whole table.
import type { Reading, RegistryDetail } from "../core/types.js";
import type { Clock, Probe } from "../ports.js";
import { createStandingOk } from "./standing-ok.js";
import { createDockerClient, type ContainerInspection } from "../registry/docker-client.js";
import { checkRegistryApi } from "../registry/registry-api.js";

type ContainerState = RegistryDetail["container"];
type ApiState = RegistryDetail["api"];

export interface RegistryProbeOptions {
  dockerSocket: string;
  container: string;
  /** The registry's base URL, e.g. http://localhost:5000. */
  endpoint: string;
  /** Per request; default 3 s. */
  timeoutMs?: number;
  /** For the re-check bound; the real clock by default. */
  clock?: Clock;
  quietRecheckMs?: number;
}

/**
 * How long an ok reading of the registry stands in a quiet iteration. Nothing tells the daemon
 * that the registry went away, but nothing depends on it while every pod runs: a pod that needs an
 * image changes, its watch event wakes the loop, and that iteration reads the registry again. So
 * the bound only keeps `status` honest; at 30 s the registry's two requests were a tenth of the
 * resting daemon's JavaScript.
 */
export const REGISTRY_QUIET_RECHECK_MS = 5 * 60_000;

const DOCKER_STATES: readonly ContainerState[] = ["running", "restarting", "exited", "created", "paused", "dead"];

/** Judge the registry from the container state and `GET /v2/`; `facts` name what was actually seen. */
export function interpretRegistry(
  container: ContainerState,
  api: ApiState,
  facts: { container?: string; api?: string } = {},
): Reading<RegistryDetail> {
  const detail = { container, api };
  const seen = `${facts.api ?? `GET /v2/ is ${api}`}; ${facts.container ?? `the container is ${container}`}`;
  if (api === "up") {
    // Pods can pull: that is what matters. Say so when Docker tells a different story.
    const note =
      container === "running" ? "" :
      container === "unknown" ? " (note: Docker could not be asked, the API alone decides)" :
      ` (note: the container is ${container}; something else serves the endpoint)`;
    return { status: "ok", reason: `the local registry answers: ${seen}${note}`, detail };
  }
  if (api === "down") return { status: "bad", reason: `the local registry is down: ${seen}`, detail };
  // The API could not be judged (timeout, odd answer): only a container known not to run is bad.
  if (container === "running" || container === "unknown") {
    return { status: "unknown", reason: `cannot tell whether the local registry is up: ${seen}`, detail };
  }
  return { status: "bad", reason: `the local registry container is not running: ${seen}`, detail };
}

/** Map `docker inspect` onto the detail's container state, with the fact to report. */
export function containerStateOf(inspection: ContainerInspection, name: string): { state: ContainerState; fact: string } {
  if (inspection.kind === "missing") return { state: "missing", fact: `Docker has no container named ${name}` };
  if (inspection.kind === "unreachable") return { state: "unknown", fact: inspection.reason };
  const status = inspection.status === "removing" ? "exited" : inspection.status;
  const state = DOCKER_STATES.find((known) => known === status) ?? "unknown";
  const exit = state === "exited" && inspection.exitCode !== null ? ` (exit code ${inspection.exitCode})` : "";
  return { state, fact: `container ${name} is ${inspection.status}${exit}` };
}

/** The registry probe: Docker inspect and `GET /v2/`, side by side. */
export function createRegistryProbe(options: RegistryProbeOptions): Probe<RegistryDetail> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const docker = createDockerClient({ socketPath: options.dockerSocket, timeoutMs });
  // Nothing counts as news here: the bound alone limits how long an ok reading stands.
  const lastOk = createStandingOk(options.clock, options.quietRecheckMs ?? REGISTRY_QUIET_RECHECK_MS);
  return {
    name: "registry",
    quiet: () => lastOk.stands(0),
    standsFor: () => lastOk.standsFor(0),
    async read(signal) {
      const done = lastOk.begin(0);
      const [inspection, apiCheck] = await Promise.all([
        docker.inspectContainer(options.container, signal),
        checkRegistryApi(options.endpoint, signal, timeoutMs),
      ]);
      const container = containerStateOf(inspection, options.container);
      const reading = interpretRegistry(container.state, apiCheck.api, { container: container.fact, api: apiCheck.fact });
      done(reading.status === "ok");
      return reading;
    },
  };
}
