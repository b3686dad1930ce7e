// Baseline 1: the simplest watchdog people write. A cron-style health script every 10 s:
// `systemctl is-active k3s && curl -k https://127.0.0.1:6443/readyz && kubectl get nodes | grep -w Ready
// && ! kubectl get pods -n songnodes | grep -v 'Running\|Completed'` — and `systemctl restart k3s`
// when any of it fails. A check that cannot answer (timeout, 500) fails like a bad one. Its only
// restraint: `systemctl restart` waits for k3s's start job (Type=notify), and a timer does not start
// the script again while it runs, so it never restarts k3s while its own restart is still starting.
import type { Command, Observations } from "../../src/core/types.js";
import { runDecide } from "./decide-loop.js";
import type { Contender, Decide } from "./contender.js";

/** The script's state: when its own restart is still starting. */
export interface NaiveState {
  restartPendingSince: number | null;
}

const STARTING = new Set(["condition", "start-pre", "start", "start-post", "auto-restart"]);
const CHECKED = ["k3sUnit", "api", "nodes", "pods"] as const;

/** Whether the script's checks all pass (unknown fails, as a failing command does). */
export function naiveHealthy(obs: Observations): boolean {
  return CHECKED.every((name) => obs[name].status === "ok");
}

/** The script as a decision core. */
export const naiveDecide: Decide<NaiveState> = (state, input, now) => {
  const obs = input.observations;
  const unit = obs.k3sUnit.detail;
  let pending = state.restartPendingSince;
  if (pending !== null && !(unit !== null && STARTING.has(unit.subState))) pending = null;
  const commands: Command[] = [];
  if (!naiveHealthy(obs) && pending === null) {
    const failed = CHECKED.filter((name) => obs[name].status !== "ok").join(", ");
    commands.push({ kind: "restart-k3s", resetFailed: false, why: `health script: ${failed} not ok` });
    pending = now;
  }
  return { state: { restartPendingSince: pending }, commands };
};

/** The contender. */
export const naiveRestart: Contender = {
  name: "restart-on-unhealthy",
  summary: "cron-style script every 10 s: restart k3s whenever the unit, API, node or any pod looks unhealthy",
  tickMs: 10_000,
  eventDriven: false,
  start: (ctx) => runDecide(ctx, naiveDecide, { restartPendingSince: null }, (obs) => !naiveHealthy(obs)),
};
