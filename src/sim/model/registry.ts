// The local registry container (`docker run -d --restart=always -p 5000:5000 --name registry`):
// its Docker state, whether its HTTP API answers, and which images it holds. Faults make it go
// down in a way a restart fixes, or in a way it does not; or lose an image (MANIFEST_UNKNOWN).
import type { RegistryDetail } from "../../core/types.js";
import type { RegistryDriver } from "../registry/registry-driver.js";
import type { Scheduler } from "./scheduler.js";

/** `docker restart` takes a couple of seconds for the registry image. */
const RESTART_MS = 3_000;
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
}

/** Create a running registry holding `repositories` (name → tags). */
export function createRegistry(scheduler: Scheduler, repositories: Map<string, string[]>, containerName = "registry"): RegistryModel {
  let state: RegistryDetail["container"] = "running";
  let broken: { fixedByRestart: boolean; recovers: boolean } | null = null;
  let restartCount = 0;
  const original = new Map([...repositories].map(([name, tags]) => [name, [...tags]]));

  const comeUp = (): void => {
    state = "running";
    if (broken && !broken.fixedByRestart) {
      // The process starts, then exits on the same error (a full disk, a corrupt config).
      scheduler.after(DIES_AGAIN_MS, () => {
        if (state === "running" && broken) state = "exited";
      });
    } else {
      broken = null;
    }
  };

  return {
    containerName,
    containerState: () => state,
    apiUp: () => state === "running" && broken === null,
    repositories: () => new Map([...repositories].map(([name, tags]) => [name, [...tags]])),
    restart() {
      restartCount++;
      state = "restarting";
      return new Promise<void>((resolve) => {
        scheduler.after(RESTART_MS, () => {
          comeUp();
          resolve();
        });
      });
    },
    breakDown(fixedByRestart, recoversAfter = null) {
      // Two causes at once (a second fault while the first holds): both must go. A restart fixes the
      // pair only if it fixes each, and it comes back by itself only if each would.
      const mine = { fixedByRestart: fixedByRestart && (broken?.fixedByRestart ?? true), recovers: recoversAfter !== null && (broken?.recovers ?? true) };
      broken = mine;
      state = "exited";
      // Whatever broke it went away (the disk was freed, Docker's --restart=always got it up): it runs again.
      if (recoversAfter !== null && mine.recovers) {
        scheduler.after(recoversAfter, () => {
          if (broken !== mine) return;
          broken = null;
          state = "running";
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
    nodeUp: () => void (broken === null && (state = "running")),
    restarts: () => restartCount,
    repair() {
      broken = null;
      state = "running";
      for (const [name, tags] of original) repositories.set(name, [...tags]);
    },
  };
}
