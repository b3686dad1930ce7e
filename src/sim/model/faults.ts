// Every failure the runbook and the safety rules talk about, as something a scenario can inject
// into the model at a given node time. Durations are in milliseconds; `null` means "until fixed".
import type { UnknownKind } from "../../core/types.js";
import type { MaintenanceFault } from "./maintenance-facts.js";

/** One injected failure. */
export type Fault =
  /** The next start attempt takes this long to send READY=1 (runbook: 30–60 s is normal). */
  | { fault: "k3s-slow-start"; duration: number }
  /** k3s fails `times` times: it dies now, and the next `times - 1` start attempts exit with an error. */
  | { fault: "k3s-fails-to-start"; times: number }
  /** Failures land in failed with Result start-limit-hit instead of auto-restart; `wording` start-limit: as systemd before v230 wrote it. */
  | { fault: "k3s-start-limit"; wording?: "start-limit-hit" | "start-limit" }
  /** systemd reports k3s's ActiveState as `state`, a value it does not define (or "" for none), for `duration`. */
  | { fault: "k3s-active-state"; state: string; duration: number | null }
  /** The k3s journal (journalctl fails) or containerd.log (`error`: permission denied, not found) cannot be read, for `duration`. */
  | { fault: "k3s-log-unreadable"; source: "journal" | "containerd-log"; error: string; duration: number | null }
  /** k3s runs for `every`, then crashes; `times` crashes (null: forever). A flapping k3s. */
  | { fault: "k3s-crash-loop"; every: number; times: number | null }
  /** k3s's main process is killed once; systemd restarts it after RestartSec. */
  | { fault: "k3s-killed" }
  /** containerd does not come up (no socket) until `fixedBy` happens. */
  | { fault: "containerd-socket-missing"; fixedBy: "killall" | "restart" | "never" }
  /** bbolt metadata corruption: containerd panics at every start, k3s exits with status 2. */
  | { fault: "containerd-corruption" }
  /** The API server refuses connections / answers 500 / never answers, for `duration`. */
  | { fault: "api-down" | "api-500" | "api-hang"; duration: number | null; survivesRestart?: boolean }
  /** systemd's D-Bus cannot be reached (the probe cannot look), for `duration`. */
  | { fault: "systemd-unreachable"; duration: number | null }
  /** kubelet posts Ready=False (CNI not initialised) for `duration`, or until k3s restarts. */
  | { fault: "node-not-ready"; duration: number | null; fixedByRestart: boolean; survivesRestart?: boolean }
  /** The registry container exits; `fixedByRestart` false: every restart dies again; `recoversAfter`: it comes back by itself. */
  | { fault: "registry-down"; fixedByRestart: boolean; recoversAfter?: number | null }
  /** The registry loses an image: pulls answer MANIFEST_UNKNOWN (containerd: NotFound). */
  | { fault: "image-missing"; workload: string }
  /**
   * A rollout of `workload` whose new pod can never get its image, whatever the registry does: the
   * registry answers "pull access denied, repository does not exist or may require authorization"
   * (`access-denied`), or imagePullPolicy Never with the image not on the node (`never-pull`,
   * ErrImageNeverPull). Image or pod config errors, not a registry that is down.
   */
  | { fault: "image-refused"; workload: string; refusal: "access-denied" | "never-pull" }
  /**
   * Pods shown Unknown that kubelet does not restart: the single-node kind, NodeLost, or phase Unknown.
   * `deleted: false` (NodeLost only): the node controller set status.reason NodeLost but did not
   * evict, so the pod has no deletionTimestamp (the default, true, is the eviction's).
   */
  | { fault: "pods-unknown"; kind: UnknownKind; workloads: string[] | null; deleted?: boolean }
  /** These pods are deleted (a rollout) and kubelet never finishes terminating them. */
  | { fault: "pods-stuck-terminating"; workloads: string[]; finalizer?: string | null }
  /** Pulls of the localhost:5000 images take `duration` (a cold registry, large images). */
  | { fault: "slow-pulls"; duration: number; workloads: string[] | null }
  /** An application bug: the container exits 1 shortly after every start. */
  | { fault: "crash-loop"; workload: string }
  /**
   * The node reboots; `graceful` runs kubelet's node-shutdown manager first (pods Failed, reason Terminated).
   * `leftRunning`: the Kubernetes 1.22 regression, the shut-down pods keep phase Running with that
   * status.reason (Terminated or Shutdown), not Ready, and their controllers do not replace them.
   */
  | { fault: "node-reboot"; graceful: boolean; downFor: number; leftRunning?: "Terminated" | "Shutdown" }
  /** `systemctl disable` of a unit: it will not start at the next boot (nothing changes until then). */
  | { fault: "k3s-disabled"; unit: string }
  /** The registry container runs without a restart policy (`docker run` without --restart=always). */
  | { fault: "registry-no-restart-policy" }
  /** A second replica of `workload` that does not fit in memory: Pending, FailedScheduling. */
  | { fault: "insufficient-memory"; workload: string }
  /** A chart change rolled out without `field` on `workload`'s containers (what `audit` catches). */
  | { fault: "spec-missing"; workload: string; field: "limits" | "livenessProbe" | "readinessProbe" }
  /** The HelmRelease's upgrade fails until retries are exhausted; `fixedByReconcile`: a requested reconcile succeeds. */
  | { fault: "flux-release-failed"; fixedByReconcile: boolean }
  /** Flux is not installed: its CRDs and objects are absent. */
  | { fault: "flux-absent" }
  /** PostgreSQL loses rows (no probe sees it: the runbook's restore is a person's job). */
  | { fault: "postgres-data-loss"; rows: number }
  /** What the scheduled maintenance checks find: src/sim/model/maintenance-facts.ts. */
  | MaintenanceFault
  /** A klipper-lb pod on `image` (not the local registry's) stays ContainerCreating; foreign-objects.ts. */
  | { fault: "foreign-pod-stuck"; image: string }
  /** A Node object `name` left by the host's old name, NotReady for good; foreign-objects.ts. */
  | { fault: "leftover-node"; name: string }
  /** The wall clock steps by `by` ms (negative: back), as NTP does; the monotonic clock does not move. */
  | { fault: "clock-jump"; by: number };

/** The names a scenario may use. */
export type FaultName = Fault["fault"];

/** The switches the faults set, read by the node model when things happen. */
export interface FaultSwitches {
  slowStartMs: number | null;
  failStarts: number;
  startLimit: boolean;
  /** The Result a start limit leaves: start-limit-hit, or start-limit (systemd before v230). */
  startLimitWording: "start-limit-hit" | "start-limit";
  /** An ActiveState systemd does not define, reported until `until`. */
  badActiveState: { state: string; until: number | null } | null;
  /** Log sources that cannot be read, each until its time (null: for good). */
  logUnreadable: Partial<Record<"journal" | "containerd-log", { error: string; until: number | null }>>;
  crashLoop: { every: number; remaining: number | null } | null;
  socketMissing: "killall" | "restart" | "never" | null;
  corruption: boolean;
  api: { mode: "down" | "500" | "hang"; until: number | null; survivesRestart: boolean } | null;
  systemdUntil: number | null | "none";
  notReady: { until: number | null; fixedByRestart: boolean } | null;
  pendingUnknown: { kind: UnknownKind; workloads: string[] | null; deleted?: boolean } | null;
  slowPulls: { duration: number; workloads: string[] | null } | null;
  crashLooping: Set<string>;
  stuckTerminating: Set<string>;
  /** Workloads whose pulls are refused (an `image-refused` fault), and how. */
  pullRefused: Map<string, "access-denied" | "never-pull">;
}

/** No faults. */
export function noFaults(): FaultSwitches {
  return {
    slowStartMs: null, failStarts: 0, startLimit: false, startLimitWording: "start-limit-hit", badActiveState: null, logUnreadable: {}, crashLoop: null, socketMissing: null, corruption: false,
    api: null, systemdUntil: "none", notReady: null, pendingUnknown: null, slowPulls: null,
    crashLooping: new Set(), stuckTerminating: new Set(), pullRefused: new Map(),
  };
}
