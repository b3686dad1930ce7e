// Every fault kind the scenario format has, as fast-check draws: the fault's own parameters, and the
// model's truth about it: whether the daemon can bring the node back without a person
// (recoverable), and the bound within which it must (docs/benchmarks.md states them).
import fc from "fast-check";

/** One fault as a scenario writes it (durations in words), struck `offset` s into its episode. */
export interface DrawnFault {
  offset: number;
  entry: Record<string, unknown>;
}

/** A draw: one or two faults that make one kind of trouble, and what the model says of it. */
export interface FaultDraw {
  /** The kind the figures count it under (the fault's name, or a variant: registry-down-for-good). */
  label: string;
  recoverable: boolean;
  /** Recoverable: healthy at most this long after the last fault struck (ms). */
  boundMs: number;
  faults: DrawnFault[];
  /** Unrecoverable but never treated, only reported (an application or image problem, a finalizer):
   * no remedy, so no gave-up; the daemon says it once at warning under a key starting with this. */
  reportedAs?: string;
  /** What is reported is about pods (an image, a crash loop, a finalizer): seen only in the pod list. */
  reportsPods?: boolean;
  /** Keeps k3s or its API down for good: the pod list is never read again, so nothing about pods can be said. */
  hidesPods?: boolean;
  /** Keeps the node NotReady for good: no deletion, so no force delete, so no finalizer to report. */
  barsDeletions?: boolean;
  /** The API never answers (reads unknown): whatever only the API shows (the node, the API's own 500s) is never seen. */
  hidesApi?: boolean;
  /** Seen only through the API (the Node's Ready, /readyz): behind an API that never answers, nothing to give up on. */
  seenThroughApi?: boolean;
  /** Gives up only when alone: beside another k3s fault its failing starts may land in a start that succeeds. */
  givesUpAlone?: boolean;
  /** Recoverable by itself, not by a remedy (a registry that comes back on its own): the remedy
   * fails, the ladder is spent, and the daemon may give up once at err before it comes back. */
  mayGiveUp?: boolean;
  /** How many times this trouble stops k3s: under systemd's start limit (a k3s-start-limit in the
   * same episode) each is a start only the daemon can make, within its budget and ladder. */
  k3sStops?: number;
}

const MIN = 60_000;
const s = (seconds: number) => `${seconds}s`;
const one = (label: string, recoverable: boolean, boundMin: number, entry: Record<string, unknown>): FaultDraw =>
  ({ label, recoverable, boundMs: boundMin * MIN, faults: [{ offset: 0, entry }] });

const SERVICES = ["redis", "rest-api", "graph-visualization", "websocket-api", "nlp-processor", "frontend", "scraper-orchestrator"];
const service = fc.constantFrom(...SERVICES);
const services = fc.uniqueArray(service, { minLength: 1, maxLength: 3 });

/** Every kind of fault, recoverable or not. */
export const faultDraw: fc.Arbitrary<FaultDraw> = fc.oneof(
  fc.constant({ ...one("k3s-killed", true, 15, { fault: "k3s-killed" }), k3sStops: 1 }),
  fc.integer({ min: 60, max: 200 }).map((d) => ({ label: "k3s-slow-start", recoverable: true, boundMs: 20 * MIN, k3sStops: 1, faults: [{ offset: 0, entry: { fault: "k3s-slow-start", duration: s(d) } }, { offset: 1, entry: { fault: "k3s-killed" } }] })),
  fc.integer({ min: 1, max: 6 }).map((times) => ({ ...one("k3s-fails-to-start", true, 20, { fault: "k3s-fails-to-start", times }), k3sStops: times })),
  fc.constant({ ...one("k3s-fails-for-good", false, 0, { fault: "k3s-fails-to-start", times: 100_000 }), hidesPods: true }),
  // With the start limit hit systemd starts nothing by itself: the daemon's starts are the only ones.
  // k3s dies, then its next times-1 starts fail; the ladder has two starts (restart, killall), so from
  // three times on it is spent: the daemon gives up once, and its retry after the cooldown succeeds.
  fc.integer({ min: 2, max: 4 }).map((times) => ({
    label: times <= 2 ? "k3s-start-limit" : "k3s-start-limit-beyond-ladder", recoverable: times <= 2, boundMs: 20 * MIN, k3sStops: times, ...(times <= 2 ? {} : { givesUpAlone: true }),
    faults: [{ offset: 0, entry: { fault: "k3s-start-limit" } }, { offset: 1, entry: { fault: "k3s-fails-to-start", times } }],
  })),
  fc.record({ every: fc.integer({ min: 20, max: 300 }), times: fc.integer({ min: 2, max: 12 }) }).map(({ every, times }) =>
    // It stops by itself after `times` crashes, whatever the daemon does: a loop longer than the
    // ladder spends it, and the daemon may give up once before it stops.
    ({ ...one("k3s-crash-loop", true, Math.ceil((every + 60) * times / 60) + 20, { fault: "k3s-crash-loop", every: s(every), times }), mayGiveUp: true, k3sStops: times })),
  fc.constantFrom("killall", "restart").map((fixedBy) => one("containerd-socket-missing", true, 20, { fault: "containerd-socket-missing", fixedBy })),
  fc.constant({ ...one("containerd-socket-gone-for-good", false, 0, { fault: "containerd-socket-missing", fixedBy: "never" }), hidesPods: true }),
  fc.constant({ ...one("containerd-corruption", false, 0, { fault: "containerd-corruption" }), hidesPods: true }),
  // An API that hangs "until k3s restarts" reads unknown, and the daemon never restarts k3s on
  // unknown: unless another trouble restarts k3s it lasts, so it is reported, never given up on.
  fc.record({ kind: fc.constantFrom("api-down", "api-500", "api-hang"), minutes: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }) }).map(({ kind, minutes }) =>
    kind === "api-hang" && minutes === null
      ? { ...one("api-hang-until-restart", false, 0, { fault: kind }), reportedAs: "cannot-tell:api", hidesPods: true, hidesApi: true }
      : one(kind, true, (minutes ?? 0) + 20, { fault: kind, ...(minutes === null ? {} : { duration: `${minutes}m` }) })),
  // An API that never answers reads unknown, and unknown never acts: the daemon says it cannot tell,
  // at warning, and has no ladder to give up. An API answering 500 reads bad: the ladder gives up.
  fc.constantFrom("api-500", "api-hang").map((kind) => ({
    ...one(`${kind}-for-good`, false, 0, { fault: kind, survivesRestart: true }), hidesPods: true, ...(kind === "api-hang" ? { reportedAs: "cannot-tell:api", hidesApi: true } : { seenThroughApi: true }),
  })),
  fc.integer({ min: 1, max: 30 }).map((minutes) => one("systemd-unreachable", true, minutes + 10, { fault: "systemd-unreachable", duration: `${minutes}m` })),
  fc.option(fc.integer({ min: 1, max: 15 }), { nil: null }).map((minutes) => one("node-not-ready", true, (minutes ?? 0) + 20, { fault: "node-not-ready", ...(minutes === null ? {} : { duration: `${minutes}m` }) })),
  fc.constant({ ...one("node-not-ready-for-good", false, 0, { fault: "node-not-ready", survivesRestart: true }), barsDeletions: true, seenThroughApi: true }),
  // A registry down while no pod needs it is only reported (docs/decisions.md): it is restarted when a
  // pod needs it, at the latest the hourly CronJob's pull at :17, whose pod is evidence too.
  fc.constant(one("registry-down", true, 75, { fault: "registry-down" })),
  fc.integer({ min: 1, max: 30 }).map((minutes) => ({ ...one("registry-down-recovers", true, minutes + 15, { fault: "registry-down", fixedByRestart: false, recoversAfter: `${minutes}m` }), mayGiveUp: true })),
  fc.constant(one("registry-down-for-good", false, 0, { fault: "registry-down", fixedByRestart: false })),
  // redis's image is not from the local registry (and is on the node): losing it from the registry changes nothing.
  service.map((workload) => (workload === "redis"
    ? one("image-missing-off-registry", true, 1, { fault: "image-missing", workload })
    : { ...one("image-missing", false, 0, { fault: "image-missing", workload }), reportedAs: "image-missing:", reportsPods: true })),
  fc.record({ kind: fc.constantFrom("containers-unknown", "node-lost", "phase-unknown"), workloads: fc.option(services, { nil: null }) }).map(({ kind, workloads }) =>
    one("pods-unknown", true, 20, { fault: "pods-unknown", kind, ...(workloads === null ? {} : { workloads }) })),
  services.map((workloads) => one("pods-stuck-terminating", true, 20, { fault: "pods-stuck-terminating", workloads })),
  services.map((workloads) => ({ ...one("pods-held-by-finalizer", false, 0, { fault: "pods-stuck-terminating", workloads, finalizer: "example.test/held" }), reportedAs: "finalizer:", reportsPods: true })),
  fc.integer({ min: 60, max: 600 }).map((d) => ({ label: "slow-pulls", recoverable: true, boundMs: 45 * MIN, faults: [{ offset: 0, entry: { fault: "slow-pulls", duration: s(d) } }, { offset: 1, entry: { fault: "node-reboot", graceful: false, downFor: "60s" } }] })),
  service.map((workload) => ({ ...one("crash-loop", false, 0, { fault: "crash-loop", workload }), reportedAs: "crashloop:", reportsPods: true })),
  fc.record({ graceful: fc.boolean(), downFor: fc.integer({ min: 20, max: 600 }) }).map(({ graceful, downFor }) =>
    one(graceful ? "reboot-graceful" : "power-loss", true, Math.ceil(downFor / 60) + 25, { fault: "node-reboot", graceful, downFor: s(downFor) })),
  // An NTP step, either way: nothing is broken, so the node stays healthy and nothing may be done.
  fc.constantFrom("+2h", "-30m", "+10m", "-2h").map((by) => one("clock-jump", true, 1, { fault: "clock-jump", by })),
  fc.integer({ min: 1, max: 5_000 }).map((rows) => one("postgres-data-loss", true, 1, { fault: "postgres-data-loss", rows })),
);
