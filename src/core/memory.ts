// What of the core's state survives a daemon restart (an upgrade, a WatchdogSec or OOM kill, a
// reboot): the ladder position and its verification deadline, gave-up with its cooldown, the
// announced keys, the per-pod hold-off clocks and the flapping count. The loop stores it in the
// journal after every step that changes it and restores it at start, so a restart never hastens
// or repeats a remedy. Pure: the loop hands in how the stored times map onto its own.
import type { Config } from "../config/schema.js";
import { LADDER } from "./ladder.js";
import type { AnnouncedKey, CoreState, K3sFailures, LadderPosition } from "./types.js";

/** The persisted part of the core's state. */
export type CoreMemory = Pick<CoreState, "ladder" | "gaveUp" | "announced" | "podFirstSeen" | "k3sFailures">;

/** The part of `state` to store. */
export function memoryOf(state: CoreState): CoreMemory {
  const { ladder, gaveUp, announced, podFirstSeen, k3sFailures } = state;
  return { ladder, gaveUp, announced, podFirstSeen, k3sFailures };
}

export interface RestoreHow {
  /** Saved in this boot: its times convert exactly by `shift` (they are monotonic underneath). */
  sameBoot: boolean;
  /** Add to every stored time to get this daemon's core time (same boot only). */
  shift: number;
  now: number;
}

/** `base` with the stored memory laid over it; what could not be restored is said in `notes`. */
export function restoreMemory(policy: Config, base: CoreState, stored: unknown, how: RestoreHow): { state: CoreState; notes: string[] } {
  const memory = stored as Partial<CoreMemory> | null;
  if (memory === null || typeof memory !== "object" || !isShapeOk(memory)) {
    return { state: base, notes: ["the stored core memory has an unknown shape: starting fresh (budgets still come from the actions table)"] };
  }
  const { now } = how;
  const move = (t: number) => t + (how.sameBoot ? how.shift : 0);
  // From another boot the times are wall times of then: one "in the future" (the clock went back
  // since) is taken as now, so it still counts, and a cooldown never runs longer than it should.
  const past = (t: number) => (how.sameBoot ? move(t) : Math.min(t, now));
  const gaveUp = memory.gaveUp
    ? { ...memory.gaveUp, at: past(memory.gaveUp.at), retryAt: memory.gaveUp.retryAt === null ? null : how.sameBoot ? move(memory.gaveUp.retryAt) : Math.min(memory.gaveUp.retryAt, now + policy.timing.gaveUpCooldown) }
    : null;
  const announced: Record<string, AnnouncedKey> = {};
  for (const [key, said] of Object.entries(memory.announced ?? {})) {
    announced[key] = { firstSaidAt: past(said.firstSaidAt), saidAt: past(said.saidAt), seenAt: how.sameBoot ? move(said.seenAt) : Math.max(past(said.seenAt), now) };
  }
  const failures = memory.k3sFailures ?? base.k3sFailures;
  const k3sFailures: K3sFailures = how.sameBoot
    ? { ...failures, at: failures.at.map(move), ups: failures.ups.map(move) }
    : { ...base.k3sFailures, at: failures.at.map(past) };
  // A new boot is a new world: the episode and the pod clocks start again (the budgets do not).
  const ladder: LadderPosition | null = how.sameBoot && memory.ladder ? shiftLadder(memory.ladder, move) : null;
  const podFirstSeen = how.sameBoot ? Object.fromEntries(Object.entries(memory.podFirstSeen ?? {}).map(([key, t]) => [key, move(t)])) : {};
  const state: CoreState = { ...base, ladder, gaveUp, announced, podFirstSeen, k3sFailures, phase: gaveUp !== null ? "gave-up" : ladder !== null ? "recovering" : base.phase };
  return { state, notes: [] };
}

function shiftLadder(ladder: LadderPosition, move: (t: number) => number): LadderPosition {
  return { ...ladder, verifyUntil: move(ladder.verifyUntil), startedAt: move(ladder.startedAt), clearSince: ladder.clearSince === null ? null : move(ladder.clearSince) };
}

// Enough of a check that a memory written by another release cannot throw inside step().
function isShapeOk(memory: Partial<CoreMemory>): boolean {
  const isNum = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const known = (symptom: unknown) => typeof symptom === "string" && Object.hasOwn(LADDER, symptom);
  const ladderOk = memory.ladder == null || (known(memory.ladder.symptom) && isNum(memory.ladder.rung) && isNum(memory.ladder.verifyUntil) && isNum(memory.ladder.startedAt));
  const gaveUpOk = memory.gaveUp == null || ((known(memory.gaveUp.symptom) || memory.gaveUp.symptom === "human-needed") && isNum(memory.gaveUp.at) && (memory.gaveUp.retryAt === null || isNum(memory.gaveUp.retryAt)));
  const announcedOk = memory.announced == null || Object.values(memory.announced).every((s) => s !== null && typeof s === "object" && isNum(s.firstSaidAt) && isNum(s.saidAt) && isNum(s.seenAt));
  const podsOk = memory.podFirstSeen == null || Object.values(memory.podFirstSeen).every(isNum);
  const f = memory.k3sFailures;
  const failuresOk = f == null || (Array.isArray(f.at) && f.at.every(isNum) && Array.isArray(f.ups) && f.ups.every(isNum));
  return ladderOk && gaveUpOk && announcedOk && podsOk && failuresOk;
}
