// Per-pod rules (docs/design.md §3): which pods to delete, which to report, and when the pods need the
// registry checked. Hold-offs count from the first time the daemon saw a condition (`firstSeen`),
// or from the API's own timestamps where the API has them (deletionTimestamp, startTime).
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import type { Observations, PodDeletion, PodView } from "./types.js";
import type { RegistryWanted } from "./symptoms.js";

export interface Announcement {
  level: "info" | "warning" | "err";
  key: string;
  message: string;
}

export interface PodTriage {
  deletions: PodDeletion[];
  announcements: Announcement[];
  registryWanted: RegistryWanted | null;
  firstSeen: Record<string, number>;
  notes: string[];
  /** When a pod's hold-off runs out if nothing changes: the loop wakes then. */
  wakes: number[];
  /** Keys not raised now whose condition holds (say-once keeps them): a pod between two pull attempts is still not pulled. */
  ongoing: string[];
}

/**
 * Decide about every pod in the namespace. Deletions are proposed only when the node is Ready.
 * `apiNow` ages the API's own wall-clock stamps (deletionTimestamp, startTime): the earlier of the
 * core's time and the wall clock, so a step of the wall clock either way never makes a pod look older.
 * `k3sUpAt`: when k3s last became active (core time), if known: nothing its kubelet does is older.
 */
export function triagePods(policy: Config, obs: Observations, previous: Record<string, number>, now: number, firstSeenDefault = now, apiNow = now, k3sUpAt: number | null = null): PodTriage {
  const pods = obs.pods.status === "unknown" ? null : obs.pods.detail?.pods ?? null;
  // Without a fresh pod list nothing is known: keep the hold-off clocks as they are.
  if (pods === null) return { deletions: [], announcements: [], registryWanted: null, firstSeen: previous, notes: [], wakes: [], ongoing: [] };

  const { timing } = policy;
  const firstSeen: Record<string, number> = {};
  const ageOf = (key: string): number => {
    firstSeen[key] = previous[key] ?? firstSeenDefault;
    return now - firstSeen[key];
  };
  const nodeReady = obs.api.status === "ok" && obs.nodes.status === "ok";
  const registry = obs.registry.status;
  const registryDownForSure = registryDown(obs);
  const out: PodTriage = { deletions: [], announcements: [], registryWanted: null, firstSeen, notes: [], wakes: [], ongoing: [] };
  // `age` is below `limit` now: wake when it reaches it.
  const wakeAfter = (age: number, limit: number) => out.wakes.push(now + limit - age);
  const remove = (pod: PodView, force: boolean, why: string) => {
    if (!nodeReady) return out.notes.push(`would delete ${pod.name} (${why}) but the node is not Ready`);
    // A pod the daemon already asked to delete gets time to go before it is asked again: no storms.
    const askedAt = asked.get(pod.uid);
    if (askedAt !== undefined && now - askedAt < timing.terminatingForceDelete && !(force && pod.deletionAt !== null && now - askedAt >= timing.unknownPodHoldOff)) {
      wakeAfter(now - askedAt, timing.terminatingForceDelete);
      return out.notes.push(`${pod.name}: deletion asked ${formatDuration(now - askedAt)} ago, giving it time`);
    }
    out.deletions.push({ namespace: pod.namespace, name: pod.name, uid: pod.uid, force, why });
  };
  const wantRegistry = (since: number, why: string) => {
    if (out.registryWanted === null || since < out.registryWanted.since) out.registryWanted = { since, why };
  };

  // The pods the daemon asked to delete are few: find them once, not with a key built per pod
  // (at 5,000 pods that string per pod was most of an idle iteration's decision time).
  const asked = new Map<string, number>();
  for (const key in previous) if (key.endsWith(DELETED_SUFFIX)) asked.set(key.slice(0, -DELETED_SUFFIX.length), previous[key]!);

  for (const pod of pods) {
    const askedAt = asked.size === 0 ? undefined : asked.get(pod.uid);
    if (askedAt !== undefined) firstSeen[deletedKey(pod.uid)] = askedAt;
    const owner = pod.owner?.kind ?? null;
    // A Job's pods are its history (and CronJobs retry them by themselves): never deleted, except
    // one stuck Terminating, whose deletion was already asked for. They still tell about the registry.
    const job = owner === "Job";
    const forcedAt = askedAt === undefined ? undefined : previous[forcedKey(pod.uid)];
    if (forcedAt !== undefined) firstSeen[forcedKey(pod.uid)] = forcedAt;
    // Force-deleted and still there (remembered as such: the deletion's wall-clock stamp cannot be
    // compared with the core's time across a clock step).
    if (pod.deletionAt !== null && pod.finalizers.length > 0 && askedAt !== undefined && (forcedAt !== undefined || askedAt > pod.deletionAt)) {
      // Asked again after its deletion began: that was the force delete, and a finalizer kept it. A
      // further delete changes nothing: say what holds it and what a person can do, once.
      out.announcements.push({ level: "warning", key: `finalizer:${pod.uid}`, message: finalizerMessage(pod, now) });
    } else if (pod.unknown !== null && !(job && pod.deletionAt !== null)) {
      if (job) {
        out.notes.push(`${pod.name} is Job-owned: left to its Job`);
        continue;
      }
      const terminating = pod.deletionAt !== null;
      const age = ageOf(`${pod.uid}:${terminating ? "unknown-terminating" : "unknown"}`);
      // The kubelet restarts such a pod's containers (or confirms its deletion) on its first sync,
      // and it runs once it posts the node Ready: the hold-off counts only time with the node Ready,
      // so a pod seen Unknown while k3s was still starting gets the whole of it from the first post.
      const kubeletAge = nodeReady ? Math.min(age, now - obs.nodes.since) : 0;
      // Forcing a StatefulSet pod out may let a second copy start while the first one's container
      // still runs: that also waits the longer hold-off, from the first sighting.
      const statefulLeft = terminating && owner === "StatefulSet" ? timing.statefulForceDeleteHoldOff - age : 0;
      if (kubeletAge < timing.unknownPodHoldOff || statefulLeft > 0) out.wakes.push(now + Math.max(timing.unknownPodHoldOff - kubeletAge, statefulLeft));
      else {
        remove(pod, terminating, `shown Unknown (${pod.unknown})${terminating ? " and already Terminating" : ""} for ${formatDuration(age)}`);
      }
    } else if (pod.deletionAt !== null) {
      const age = Math.max(0, apiNow - pod.deletionAt);
      if (age < timing.terminatingForceDelete) wakeAfter(age, timing.terminatingForceDelete);
      else remove(pod, true, `Terminating for ${formatDuration(age)} (limit ${formatDuration(timing.terminatingForceDelete)})`);
    } else if (pod.phase === "Failed" || pod.failedReason !== null) {
      if (job) {
        out.notes.push(`${pod.name} is Job-owned: left to its Job`);
        continue;
      }
      if (owner === null) {
        out.announcements.push({ level: "warning", key: `bare-failed:${pod.name}`, message: `pod ${pod.name} Failed (${pod.failedReason ?? "no reason"}) and has no controller to recreate it: left alone` });
        continue;
      }
      const age = ageOf(`${pod.uid}:failed`);
      const what = pod.phase === "Failed" ? "Failed" : `left Running by a failed node shutdown`;
      if (age < timing.failedPodHoldOff) wakeAfter(age, timing.failedPodHoldOff);
      else remove(pod, false, `${what} (${pod.failedReason ?? "no reason"}) for ${formatDuration(age)}; its ${owner} recreates it`);
    } else if (pod.pullFailure !== null) {
      const { image, cause, localRegistry, message } = pod.pullFailure;
      // Back-off between two pull attempts: a slow pull said of this pod is not over.
      out.ongoing.push(`slow-pull:${pod.uid}`);
      if (cause === "image-config") {
        out.announcements.push({ level: "warning", key: `image-config:${image}`, message: `cannot pull ${image} for ${pod.name}: an image or pod config error, not the registry; nothing is restarted for this: ${message || pod.waiting?.reason || "no message"}` });
      } else if (!localRegistry) {
        out.announcements.push({ level: "warning", key: `pull-failing:${image}`, message: `cannot pull ${image}, which is not from the local registry: ${message}` });
      } else if (cause === "image-missing") {
        out.announcements.push({ level: "warning", key: `image-missing:${image}`, message: `image ${image} is not in the local registry (manifest unknown): push it; nothing is restarted for this` });
      } else {
        const age = ageOf(`${pod.uid}:pull`);
        // Refused while the registry was down for sure: the pod waits on the registry, not on a blip.
        // A Job's pod keeps the hold-off: its Job retries by itself, and a run late by minutes is not
        // what a registry restart is for.
        const refusedKey = `${pod.uid}:pull-refused`;
        const refusedAt = job ? undefined : previous[refusedKey] ?? (registryDownForSure ? now : undefined);
        if (refusedAt !== undefined) firstSeen[refusedKey] = refusedAt;
        // The hold-off waits out a registry that comes back by itself; one down for sure will not.
        if (age < timing.imagePullHoldOff && refusedAt === undefined) {
          wakeAfter(age, timing.imagePullHoldOff);
          continue;
        }
        if (registry === "ok") {
          // The kubelet would retry only after its back-off (up to 5 min): all such pods go now, together.
          if (owner !== null && !job) remove(pod, false, `${pod.display} on ${image} for ${formatDuration(age)} while the registry answers: deleted so it retries at once`);
        } else if (registry === "bad") {
          wantRegistry(firstSeen[`${pod.uid}:pull`] ?? now, `${pod.name} cannot pull ${image} (${pod.display}) for ${formatDuration(age)}`);
        } else {
          out.notes.push(`${pod.name} cannot pull ${image}, and the registry probe cannot tell: ${obs.registry.reason}`);
        }
      }
    } else if (pod.pulling) {
      const seen = ageOf(`${pod.uid}:pulling`);
      const stamp = pod.startedAt ?? pod.createdAt;
      // The pod's startTime outlives its containers: after a k3s restart (or a reboot) the same pod
      // object creates them again, and no pull is older than the k3s whose kubelet runs it.
      const upFor = k3sUpAt === null ? Infinity : Math.max(0, now - k3sUpAt);
      const age = Math.min(stamp === null ? seen : Math.max(0, apiNow - stamp), upFor);
      const since = now - age;
      // Runbook: slow pulls from localhost:5000 need no action unless they take more than 30 minutes.
      if (age < timing.slowPullNoAction) {
        wakeAfter(age, timing.slowPullNoAction);
        continue;
      }
      // Only a pod waiting on an image from the local registry says anything about it: klipper-lb stuck
      // in ContainerCreating without a CNI, or an image on another registry, never does.
      if (registry === "bad" && pod.pullsLocal) wantRegistry(since, `${pod.name} has been pulling for ${formatDuration(age)}`);
      else if (!pod.pullsLocal) out.announcements.push({ level: "warning", key: `slow-pull:${pod.uid}`, message: `${pod.name} has been ${pod.display} for ${formatDuration(age)}, on images not from the local registry: nothing is restarted for this` });
      else out.announcements.push({ level: "warning", key: `slow-pull:${pod.uid}`, message: `${pod.name} has been pulling its image for ${formatDuration(age)}; the registry ${registry === "ok" ? "answers" : "cannot be checked"}` });
    } else if (pod.waiting?.reason === "CrashLoopBackOff" && !job) {
      // The watchdog does not fix application bugs: say it once per workload.
      const workload = pod.owner?.name ?? pod.name;
      out.announcements.push({ level: "warning", key: `crashloop:${workload}`, message: `${pod.name} is in CrashLoopBackOff (${pod.restarts} restarts): an application problem, reported only: ${pod.waiting.message}` });
    }
  }
  return out;
}

// Container states that `docker restart` starts again and that serve nothing meanwhile.
const STOPPED = new Set(["exited", "dead", "created"]);

/**
 * The registry is down for sure: `GET /v2/` is refused and its container is not running (exited,
 * dead, never started). Refused with the container running (starting, or a port clash), or a
 * container Docker cannot name, is not proof enough: those keep the pull hold-off.
 */
export function registryDown(obs: Observations): boolean {
  const detail = obs.registry.detail;
  return obs.registry.status === "bad" && detail !== null && detail.api === "down" && STOPPED.has(detail.container);
}

/** The podFirstSeen key that remembers when the daemon asked to delete a pod. */
export function deletedKey(uid: string): string {
  return `${uid}${DELETED_SUFFIX}`;
}

const DELETED_SUFFIX = ":deleted";

/** The podFirstSeen key that remembers when the daemon force-deleted a pod. */
export function forcedKey(uid: string): string {
  return `${uid}:forced`;
}

/** What keeps a force-deleted pod, and the command that lets it go, for a person to decide. */
function finalizerMessage(pod: PodView, now: number): string {
  const names = pod.finalizers.join(", ");
  const since = pod.deletionAt === null ? "" : ` (Terminating for ${formatDuration(Math.max(0, now - pod.deletionAt))})`;
  return `pod ${pod.namespace}/${pod.name} is still there after its force delete${since}: finalizer ${names} keeps it, and its controller removes it when done. `
    + `It is not deleted again. If its controller is gone, let it go by hand: kubectl -n ${pod.namespace} patch pod ${pod.name} --type=merge -p '{"metadata":{"finalizers":null}}'`;
}
