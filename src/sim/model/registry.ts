// The local registry container (`docker run -d --restart=always -p 5000:5000 --name registry`):
// its Docker state, whether its HTTP API answers, and which images it holds. Faults make it go
// down in a way a restart fixes, or in a way it does not; or lose an image (MANIFEST_UNKNOWN).
import type { RegistryDetail } from "../../core/types.js";
import type { RegistryDriver } from "../registry/registry-driver.js";
import type { Prng } from "./prng.js";
import type { Scheduler } from "./scheduler.js";

/**
 * `docker restart registry` against Debian's dockerd 20.10 and the real registry (docs/testing.md):
 * 0.17–1.30 s until the Engine API answers 204 (the container exited, then running again), and
 * the registry's port answers 0.05–0.36 s after that. Each restart takes a time drawn from these.
 */
export const RESTART_RANGE_MS = { min: 170, max: 1_300 } as const;
export const LISTEN_AFTER_START_MS = { min: 50, max: 360 } as const;
/** A registry that restarting does not fix dies again this soon after it comes up. */
const DIES_AGAIN_MS = 4_000;

/** The registry model: the driver the Docker and registry stand-ins use, plus fault switches. */
export interface RegistryModel extends RegistryDriver {
  /** Take it down; `fixedByRestart` false means every restart dies again; `recoversAfter` ms: it comes back by itself. */
  breakDown(fixedByRestart: boolean, recoversAfter?: number | null): void;
  removeImage(repository: string): void;
  /** Whether a pull of `image` (a localhost:5000 reference) would find a manifest. */
  hasImage(image: string): boolean;
  /** The registry container stops with the node and comes back with Docker (--restart=always). */
  nodeDown(): void;
  nodeUp(): void;
  restarts(): number;
  /** A person fixed what broke it and pushed every image again: it runs, whole. */
  repair(): void;
  /** What kept it down is gone (its images as they are); it runs again at its next start. */
  clearCauses(): void;
}

/** Create a running registry holding `repositories` (name → tags). */
export function createRegistry(scheduler: Scheduler, repositories: Map<string, string[]>, prng: Prng, containerName = "registry"): RegistryModel {
  let state: RegistryDetail["container"] = "running";
  // Between the container running again and the registry in it listening, the port refuses.
  let listening = true;
  // What keeps it down: each cause goes its own way (a restart, or time), and it runs only when none is left.
  let causes: { fixedByRestart: boolean }[] = [];
  let restartCount = 0;
  const original = new Map([...repositories].map(([name, tags]) => [name, [...tags]]));

  const comeUp = (): void => {
    state = "running";
    listening = false;
    scheduler.after(prng.between(LISTEN_AFTER_START_MS.min, LISTEN_AFTER_START_MS.max), () => {
      listening = true;
    });
    causes = causes.filter((cause) => !cause.fixedByRestart);
    if (causes.length > 0) {
      // The process starts, then exits on the same error (a full disk, a corrupt config).
      scheduler.after(DIES_AGAIN_MS, () => {
        if (state === "running" && causes.length > 0) state = "exited";
      });
    }
  };

  return {
    containerName,
    containerState: () => state,
    apiUp: () => state === "running" && listening && causes.length === 0,
    repositories: () => new Map([...repositories].map(([name, tags]) => [name, [...tags]])),
    restart() {
      restartCount++;
      // dockerd's restart is a stop and a start: Docker shows the container exited meanwhile, never
      // restarting (that state belongs to a restart policy's loop).
      state = "exited";
      return new Promise<void>((resolve) => {
        scheduler.after(prng.between(RESTART_RANGE_MS.min, RESTART_RANGE_MS.max), () => {
          comeUp();
          resolve();
        });
      });
    },
    breakDown(fixedByRestart, recoversAfter = null) {
      // Two causes at once (a second fault while the first holds): both must go, each its own way.
      const mine = { fixedByRestart };
      causes = [...causes, mine];
      state = "exited";
      // Whatever broke it went away (the disk was freed, Docker's --restart=always got it up): it runs again.
      if (recoversAfter !== null) {
        scheduler.after(recoversAfter, () => {
          if (!causes.includes(mine)) return;
          causes = causes.filter((cause) => cause !== mine);
          if (causes.length === 0) state = "running";
        });
      }
    },
    removeImage: (repository) => void repositories.delete(repository),
    hasImage(image) {
      const reference = image.replace(/^localhost:5000\//, "");
      const [name, tag = "latest"] = reference.split(":");
      return repositories.get(name ?? "")?.includes(tag) ?? false;
    },
    nodeDown: () => void (state = "exited"),
    // A container that was broken before the reboot does not come back with Docker either.
    nodeUp: () => void (causes.length === 0 && (state = "running")),
    restarts: () => restartCount,
    clearCauses() {
      causes = [];
    },
    repair() {
      causes = [];
      state = "running";
      for (const [name, tags] of original) repositories.set(name, [...tags]);
    },
  };
}
