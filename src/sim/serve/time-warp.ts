// Node time against wall time. `--speed N` makes the model live N× faster than the wall clock so
// k3s's 30–60 s start (runbook) does not make a person or a test wait; every timestamp the faces
// show (unit properties, Kubernetes objects) is mapped back to wall time, so the daemon, which
// only knows the wall clock, measures ages and hold-offs consistently (divided by N).

/** The mapping between node time and wall time, both in ms since the epoch. */
export interface TimeWarp {
  readonly speed: number;
  /** Node time that corresponds to wall time `wall` (default: now). */
  nodeAt(wall?: number): number;
  /** Wall time at which node time `node` happens (happened). */
  wallAt(node: number): number;
  /** A copy of `value` with every RFC 3339 timestamp string moved from node time to wall time. */
  warpJson<T>(value: T): T;
}

// Kubernetes writes metav1.Time as RFC 3339 in UTC, with or without fractional seconds.
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The warp where wall time `wallAnchor` is node time `nodeAnchor`, node time running `speed`× faster. */
export function createTimeWarp(wallAnchor: number, speed: number, nodeAnchor = wallAnchor): TimeWarp {
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`speed must be a positive number, got ${String(speed)}`);
  const wallAt = (node: number): number => Math.round(wallAnchor + (node - nodeAnchor) / speed);
  const warpString = (text: string): string => {
    if (!RFC3339.test(text)) return text;
    const moved = new Date(wallAt(Date.parse(text))).toISOString();
    // Keep the writer's precision: whole seconds stay whole seconds, as the API server writes them.
    return text.includes(".") ? moved : moved.replace(/\.\d+Z$/, "Z");
  };
  const warp = (value: unknown): unknown => {
    if (typeof value === "string") return warpString(value);
    if (Array.isArray(value)) return value.map(warp);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, warp(inner)]));
    }
    return value;
  };
  return {
    speed,
    nodeAt: (wall = Date.now()) => nodeAnchor + (wall - wallAnchor) * speed,
    wallAt,
    warpJson: <T>(value: T): T => (speed === 1 && nodeAnchor === wallAnchor ? value : (warp(value) as T)),
  };
}
