// What the Docker Engine API stand-in and the registry HTTP stand-in need from the registry model.
import type { RegistryDetail } from "../../core/types.js";

/** The local registry container (`registry`, serving localhost:5000) as the model holds it. */
export interface RegistryDriver {
  readonly containerName: string;
  /** Docker's State.Status for the container. */
  containerState(): RegistryDetail["container"];
  /** `docker restart registry`: resolves when the container is running again (or failed to). */
  restart(): Promise<void>;
  /** Whether the registry's HTTP API answers (the container can run while the API does not). */
  apiUp(): boolean;
  /** HostConfig.RestartPolicy.Name ("always" when the model does not say). */
  restartPolicy?(): string;
  /** Repositories with their tags, for /v2/_catalog and manifest look-ups. */
  repositories(): Map<string, string[]>;
}
