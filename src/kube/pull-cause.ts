// Why an image pull failed, read from containerd's message as kubelet passes it on in the container's
// waiting message. The remedy differs: a registry that is down is restarted, a missing image is reported
// and nothing is restarted (docs/design.md §3).
import type { PullCause } from "../core/types.js";

// containerd cannot reach the registry: `dial tcp 127.0.0.1:5000: connect: connection refused`,
// `[::1]:5000`, a name that does not resolve, or a registry that accepts and never answers; or the
// registry answers 5xx (`failed with status code [manifests 1.4.2]: 503 Service Unavailable`).
const REGISTRY_DOWN = [/connection refused/i, /dial tcp \S*:5000/i, /no such host/i, /i\/o timeout/i, /status code \[[^\]]*\]: 5\d\d\b/];

// The registry answered and has no such image: containerd's `code = NotFound … not found`, and the
// registry's own error codes when they are passed through.
const IMAGE_MISSING = [/not found/i, /NotFound/, /manifest unknown/i, /MANIFEST_UNKNOWN/, /NAME_UNKNOWN/];

// An image or pod-spec error that no registry restart changes: a registry that answered "pull access
// denied, repository does not exist or may require authorization" (Docker Hub's answer for a name it
// does not have), or an image name containerd cannot parse.
const IMAGE_CONFIG = [/pull access denied/i, /repository does not exist/i, /may require authorization/i, /insufficient_scope/i, /invalid reference format/i];

// Waiting reasons that are a verdict on the pod's spec, not on any registry: imagePullPolicy Never with
// the image absent, or a name that is not an image reference.
const CONFIG_REASONS: ReadonlySet<string> = new Set(["ErrImageNeverPull", "InvalidImageName"]);

/** Classify a pull failure from kubelet's waiting reason and message (ErrImagePull / ImagePullBackOff / …). */
export function pullCause(message: string, reason?: string): PullCause {
  if (reason !== undefined && CONFIG_REASONS.has(reason)) return "image-config";
  // Registry-down first: a refused connection is never a verdict about the image.
  if (REGISTRY_DOWN.some((pattern) => pattern.test(message))) return "registry-down";
  if (IMAGE_CONFIG.some((pattern) => pattern.test(message))) return "image-config";
  if (IMAGE_MISSING.some((pattern) => pattern.test(message))) return "image-missing";
  return "other";
}

/** The waiting reasons kubelet gives a container whose image could not be pulled or may not be. */
export const PULL_FAILURE_REASONS: ReadonlySet<string> = new Set(["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName"]);
