// How a pod counts for the pods probe: healthy or not, how alarming, and how it is named in the one
// sentence a person reads in journalctl ("rest-api-… ImagePullBackOff (registry refused)").
import type { PodView } from "../core/types.js";

/** Running with every container ready (and not being deleted), or finished successfully. */
export function isHealthy(pod: PodView): boolean {
  // Deletion asked and not done: a pod stuck there (on a finalizer, say) is not healthy, whatever its phase.
  if (pod.deletionAt !== null) return false;
  if (pod.phase === "Succeeded") return true;
  return pod.display === "Running" && pod.ready;
}

/** "rest-api-7d9f8b6c4-abcde ImagePullBackOff (registry refused)". */
export function describePod(pod: PodView): string {
  const why = annotation(pod);
  return why ? `${pod.name} ${pod.display} (${why})` : `${pod.name} ${pod.display}`;
}

function annotation(pod: PodView): string | null {
  if (pod.unknown === "containers-unknown") return "containers terminated Unknown after a k3s restart";
  if (pod.unknown === "node-lost") return "NodeLost";
  if (pod.pullFailure) {
    const f = pod.pullFailure;
    if (f.cause === "registry-down") return /connection refused/i.test(f.message) ? "registry refused" : "registry unreachable";
    if (f.cause === "image-missing") return `image ${f.image} missing`;
    if (f.cause === "image-config") return `image or pod config error on ${f.image}`;
    return "pull failed";
  }
  if (pod.failedReason) return pod.failedReason;
  if (pod.deletionAt !== null && pod.display !== "Terminating") return "being deleted";
  if (pod.display === "Running" && !pod.ready) return "not ready";
  return null;
}

/** Most alarming first, so a reason names what the ladder will act on. */
export function severity(pod: PodView): number {
  if (pod.unknown) return 6;
  if (pod.pullFailure) return 5;
  if (pod.phase === "Failed" || pod.failedReason !== null) return 4;
  if (pod.deletionAt !== null) return 3;
  if (pod.display === "CrashLoopBackOff" || pod.display.startsWith("Init:")) return 2;
  if (pod.pulling) return 0;
  return 1;
}
