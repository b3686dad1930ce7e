// A small in-memory RegistryDriver for adapter tests: every state is a switch the test flips, and a
// restart either fixes the registry or leaves it down. The simulated node's real registry model,
// with timing and faults, is src/sim/model/registry.ts.
import type { RegistryDetail } from "../../core/types.js";
import type { RegistryDriver } from "./registry-driver.js";

type ContainerState = RegistryDetail["container"];

export interface MemoryRegistryOptions {
  containerName?: string;
  container?: ContainerState;
  apiUp?: boolean;
  /** name → tags */
  repositories?: Record<string, string[]>;
  /** What a restart leads to; default a running container whose API answers. */
  afterRestart?: { container: ContainerState; apiUp: boolean };
  /** How long `docker restart` takes; default 250 ms (Debian's dockerd: 0.17–0.41 s for the registry). */
  restartMs?: number;
}

/** The driver plus the switches a test flips. */
export interface MemoryRegistry extends RegistryDriver {
  set(state: { container?: ContainerState; apiUp?: boolean }): void;
  afterRestart: { container: ContainerState; apiUp: boolean };
  /** How many restarts were asked for. */
  restartCount(): number;
}

/** Create an in-memory registry, running and answering unless told otherwise. */
export function createMemoryRegistry(options: MemoryRegistryOptions = {}): MemoryRegistry {
  let container = options.container ?? "running";
  let api = options.apiUp ?? true;
  let restarts = 0;
  const repositories = new Map(Object.entries(options.repositories ?? {}));
  const registry: MemoryRegistry = {
    containerName: options.containerName ?? "registry",
    containerState: () => container,
    apiUp: () => api,
    repositories: () => new Map([...repositories].map(([name, tags]) => [name, [...tags]])),
    afterRestart: options.afterRestart ?? { container: "running", apiUp: true },
    async restart() {
      restarts++;
      // dockerd's restart is a stop and a start: the container shows exited between them, never
      // restarting (that state is only a restart policy's).
      container = "exited";
      api = false;
      await new Promise((resolve) => setTimeout(resolve, options.restartMs ?? 250));
      container = registry.afterRestart.container;
      api = registry.afterRestart.apiUp;
    },
    set(state) {
      if (state.container !== undefined) container = state.container;
      if (state.apiUp !== undefined) api = state.apiUp;
    },
    restartCount: () => restarts,
  };
  return registry;
}
