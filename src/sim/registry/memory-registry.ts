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
  /**
   * How long `docker restart` takes, a number or a draw per restart; default 250 ms. Debian's
   * dockerd takes 0.17–1.30 s for the registry (docs/testing.md).
   */
  restartMs?: number | (() => number);
  /**
   * How long after the container runs again its registry starts to answer, a number or a draw per
   * restart; default 100 ms. The real registry: 0.05–0.36 s after dockerd's 204.
   */
  listenAfterStartMs?: number | (() => number);
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
  let pending: ReturnType<typeof setTimeout> | null = null;
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
      await new Promise((resolve) => setTimeout(resolve, drawn(options.restartMs, 250)));
      container = registry.afterRestart.container;
      // dockerd answers once the process has started; the registry in it listens a little later.
      const { apiUp } = registry.afterRestart;
      pending = setTimeout(() => {
        pending = null;
        api = apiUp;
      }, drawn(options.listenAfterStartMs, 100));
    },
    set(state) {
      // A test's switch wins over a restart still coming up.
      if (pending !== null) clearTimeout(pending);
      pending = null;
      if (state.container !== undefined) container = state.container;
      if (state.apiUp !== undefined) api = state.apiUp;
    },
    restartCount: () => restarts,
  };
  return registry;
}

const drawn = (value: number | (() => number) | undefined, fallback: number): number =>
  typeof value === "function" ? value() : (value ?? fallback);
