// The contract between the daemon's parts: what probes report, what the decision core keeps and
// what it asks the actions to do. Everything here is plain data (JSON-serialisable), so a state can
// be recorded, replayed in the simulator and compared in tests. Times are milliseconds since the
// epoch, always handed in by the caller: the core never reads a clock.

/** "unknown" means the probe could not tell (timeout, permission, API error); it never triggers a remedy. */
export type Health = "ok" | "bad" | "unknown";

/** What one probe returns. Probes never throw; a failure to look is `status: "unknown"` with the reason. */
export interface Reading<D> {
  status: Health;
  /** One readable sentence: why this status ("k3s.service is activating (auto-restart), result exit-code"). */
  reason: string;
  /** The facts the core decides on; null when the probe could not look at all. */
  detail: D | null;
}

/** A reading stamped by the loop with the time its status began (kept while the status stays the same). */
export interface Observation<D> extends Reading<D> {
  since: number;
}

/**
 * The k3s unit as systemd reports it (the same shape the `Systemd` port returns). A start attempt's
 * age counts from when its process started (ExecMainStartTimestamp), or when the daemon saw
 * SubState become `start`, never from ActiveEnterTimestamp (a repair timer measured from it can
 * line up with RestartSec) nor from InactiveExitTimestamp alone (stamped RestartSec before the
 * process starts, and not at all under RestartMode=direct). Within a boot, ages use the
 * `…Mono` stamps (CLOCK_MONOTONIC, ms), which an NTP step of the wall clock does not move.
 */
export interface K3sUnitDetail {
  /** systemd ActiveState: active, reloading, inactive, failed, activating, deactivating. */
  activeState: string;
  /** systemd SubState: running, start, start-pre, auto-restart, dead, failed, stop-sigterm, … */
  subState: string;
  /** systemd Result: success, exit-code, signal, core-dump, watchdog, timeout, start-limit-hit, … */
  result: string;
  inactiveExitAt: number | null;
  activeEnterAt: number | null;
  /** NRestarts: how many automatic restarts systemd made; null when the property is absent. */
  restarts: number | null;
  /** ExecMainStartTimestamp: when the main process of the latest attempt was started (wall ms). */
  execMainStartAt?: number | null;
  /** The same moments on CLOCK_MONOTONIC (…TimestampMonotonic, ms since boot); null when absent or "never". */
  inactiveExitMono?: number | null;
  activeEnterMono?: number | null;
  execMainStartMono?: number | null;
}

export interface ContainerdSocketDetail {
  path: string;
  exists: boolean;
  /** A connect() succeeded: a socket file can outlive the containerd that made it. */
  accepts: boolean;
}

export interface ApiDetail {
  /** HTTP status of GET /readyz, when one came back. */
  httpStatus: number | null;
}

export interface NodeView {
  name: string;
  /** The Ready condition's status. */
  ready: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  /** When the Ready condition last changed (lastTransitionTime). */
  since: number | null;
}

/** How current a watched list is: when the API last confirmed it (a list, an event, a bookmark), and what keeping it cost. */
export interface CacheHealth {
  heardAt: number;
  lists: number;
  /** Watch-stream lines that were not watch events; each ended its watch and forced a re-list. */
  droppedLines: number;
}

export interface NodesDetail {
  nodes: NodeView[];
  /** Set by the real probe (a list+watch cache); absent in the simulator. */
  cache?: CacheHealth;
}

/** Why a pod is shown Unknown: the single-node kind after a k3s restart, NodeLost, or phase Unknown. */
export type UnknownKind = "phase-unknown" | "node-lost" | "containers-unknown";

/** How containerd explains a failed pull (from the waiting message and events). */
export type PullCause = "registry-down" | "image-missing" | "image-config" | "other";

/** A pod as the daemon sees it, derived the way kubectl derives its STATUS column (src/kube/pod-view.ts). */
export interface PodView {
  namespace: string;
  name: string;
  uid: string;
  phase: string;
  /** kubectl's STATUS column: Running, Pending, ContainerCreating, ImagePullBackOff, Init:0/1, Terminating, Unknown, … */
  display: string;
  /** Every container Ready. */
  ready: boolean;
  owner: { kind: string; name: string } | null;
  nodeName: string | null;
  createdAt: number | null;
  /** status.startTime. */
  startedAt: number | null;
  deletionAt: number | null;
  /** Set when the pod is shown Unknown, with the kind of Unknown. */
  unknown: UnknownKind | null;
  /** The first waiting container with a reason (init containers first), with its message. */
  waiting: { container: string; reason: string; message: string } | null;
  /** Set when a container's image pull failed (ErrImagePull / ImagePullBackOff). */
  pullFailure: { image: string; cause: PullCause; localRegistry: boolean; message: string } | null;
  /** A container is still being created while its image is pulled (ContainerCreating / PodInitializing). */
  pulling: boolean;
  /** One of the containers being created has an image from the local registry: only then is a slow pull its business. */
  pullsLocal: boolean;
  /** status.reason for Failed pods (Evicted, Terminated, Shutdown, NodeLost, …), and for Running pods a node shutdown failed. */
  failedReason: string | null;
  /** metadata.finalizers: what keeps a deleted pod in the API until its controller lets go. */
  finalizers: string[];
  restarts: number;
}

export interface PodsDetail {
  pods: PodView[];
  /** Set by the real probe (a list+watch cache); absent in the simulator. */
  cache?: CacheHealth;
}

export interface RegistryDetail {
  /** The registry container's state through the Docker Engine API. */
  container: "running" | "restarting" | "exited" | "created" | "paused" | "dead" | "missing" | "unknown";
  /** GET /v2/ on the registry endpoint. */
  api: "up" | "down" | "unknown";
}

export interface K3sLogDetail {
  /** The first signature of damage no restart can fix (containerd metadata corruption), or null. */
  signature: string | null;
  /** Where it was found: "containerd.log" or "journal". */
  source: string | null;
}

/** One reading of every probe; the loop gathers them, the core decides on them. */
export interface Observations {
  k3sUnit: Observation<K3sUnitDetail>;
  containerdSocket: Observation<ContainerdSocketDetail>;
  api: Observation<ApiDetail>;
  nodes: Observation<NodesDetail>;
  pods: Observation<PodsDetail>;
  registry: Observation<RegistryDetail>;
  k3sLog: Observation<K3sLogDetail>;
}

export type ProbeName = keyof Observations;

export const PROBE_NAMES: readonly ProbeName[] = [
  "k3sUnit",
  "containerdSocket",
  "api",
  "nodes",
  "pods",
  "registry",
  "k3sLog",
];

/** The boot state machine (docs/design.md §2). */
export type Phase =
  | "waiting-for-k3s"
  | "waiting-for-containerd"
  | "waiting-for-api"
  | "waiting-for-nodes"
  | "pods-converging"
  | "healthy"
  | "recovering"
  | "paused"
  | "gave-up";

/** Disruptive things the daemon can do; each has a budget. */
export type RemedyKind = "restart-k3s" | "killall-k3s" | "restart-registry" | "delete-pods";

export interface PodDeletion {
  namespace: string;
  name: string;
  uid: string;
  /** Grace period 0 and force: only for pods already Terminating past the limit on a Ready node. */
  force: boolean;
  why: string;
}

/** What the core asks the loop to do. Remedies run one at a time, in order, each with a timeout. */
export type Command =
  | { kind: "restart-k3s"; resetFailed: boolean; why: string }
  | { kind: "killall-k3s"; why: string }
  | { kind: "restart-registry"; why: string }
  | { kind: "delete-pods"; pods: PodDeletion[]; why: string }
  /** Say something once, loudly when level is err (gave-up, human needed, image missing). */
  | { kind: "announce"; level: "info" | "warning" | "err"; key: string; message: string };

export type RemedyCommand = Exclude<Command, { kind: "announce" }>;

/** How a remedy went, fed back into the next step. */
export interface ActionOutcome {
  kind: RemedyKind;
  ok: boolean;
  detail: string;
  at: number;
}

/** Requests from the control socket, applied by the core so that pausing is a state like any other. */
export type OperatorRequest =
  | { kind: "pause"; until: number; reason: string }
  | { kind: "resume"; reason: string };

export interface StepInput {
  /**
   * CLOCK_MONOTONIC (ms) read at the same moment as `now`: the unit's `…Mono` stamps are aged
   * against it. Absent (tests, a clock without it): ages fall back to the wall stamps.
   */
  monotonic?: number;
  /** The wall clock at `now`: ages of the API's own stamps (deletionTimestamp) are wall-clock ages. */
  wallNow?: number;
  observations: Observations;
  /** Remedies that finished since the last step. */
  finished: ActionOutcome[];
  requests: OperatorRequest[];
}

/** A remedy taken (or, in dry-run, planned): the sliding-window budgets count these. */
export interface ActionStamp {
  kind: RemedyKind;
  at: number;
}

/** The trouble the ladder is climbing for. */
export type Symptom =
  | "k3s-down"
  | "k3s-flapping"
  | "containerd-socket-missing"
  | "api-not-ready"
  | "node-not-ready"
  | "registry-down";

export interface LadderPosition {
  symptom: Symptom;
  /** Index of the rung last taken in LADDER[symptom]. */
  rung: number;
  /** No further rung before this time: the remedy gets its verification window. */
  verifyUntil: number;
  /** When the episode began (its first remedy). */
  startedAt: number;
  /** Since when none of the family's symptoms is present; the ladder resets after the healthy hold. */
  clearSince: number | null;
}

export interface CoreState {
  phase: Phase;
  phaseSince: number;
  /** The phase to return to when a pause ends. */
  beforePause: Phase | null;
  ladder: LadderPosition | null;
  /** Remedies taken (loaded from the SQLite journal at start, so budgets survive restarts). */
  actions: ActionStamp[];
  pause: { until: number; reason: string } | null;
  gaveUp: { symptom: Symptom | "human-needed"; at: number; retryAt: number | null; why: string } | null;
  /** When everything first looked healthy again; "healthy" is declared after the hysteresis hold. */
  healthySince: number | null;
  /** Announcements already made, by key, so each is said once per episode, not every tick. */
  announced: Record<string, AnnouncedKey>;
  /** First time the daemon saw a pod condition (key `uid:condition`): hold-offs count from here. */
  podFirstSeen: Record<string, number>;
  /** k3s's failures in the flapping window, counted from NRestarts and from what the daemon saw. */
  k3sFailures: K3sFailures;
}

/** When an announcement was said, and when its condition was last seen. */
export interface AnnouncedKey {
  /** The first time in this episode. */
  firstSaidAt: number;
  /** The last time it was said (first, or a reminder). */
  saidAt: number;
  /** The last step that raised it; the key is forgotten once this is the healthy hold ago. */
  seenAt: number;
}

/** What the flapping count needs to remember between steps. */
export interface K3sFailures {
  /** When each failure was counted, oldest first, within the flapping window. */
  at: number[];
  /** NRestarts at the last reading; null before the first one or when systemd does not say. */
  restarts: number | null;
  /** Whether the unit read ok at the last step that could tell. */
  unitOk: boolean | null;
  /** When k3s came up (the unit turned ok), within the flapping window. */
  ups: number[];
  /** When the daemon saw SubState become a starting one (start-pre, start, …); null when not starting or not seen. */
  startSeenAt?: number | null;
  /** SubState at the last look; null before the first. */
  lastSubState?: string | null;
  /** A failure the daemon saw that systemd's NRestarts has not counted yet (so it is not counted twice). */
  seenNotCounted: number;
}

export interface StepResult {
  state: CoreState;
  commands: Command[];
  /** Why the core did what it did this step, for the journal and the status socket. */
  notes: string[];
  /**
   * The earliest time after `now` at which the decision could change with no new observation (a
   * hold-off, a verification window, a pause or a cooldown running out); null when none is pending.
   */
  wakeAt: number | null;
}
