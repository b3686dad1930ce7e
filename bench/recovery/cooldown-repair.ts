// Baseline 2: a cooldown-only repairer in the style of node-problem-detector's health-checker
// (pkg/healthchecker): every 10 s (its plugin's invoke_interval) check the component — here the
// kubelet/API endpoint and the CRI (crictl pods ≈ containerd's socket answering); when unhealthy and
// the service has been up longer than the cooldown (default 2 min, uptime from InactiveExitTimestamp),
// repair it. One remedy (`systemctl kill` of k3s, which systemd restarts: restart-k3s here), no
// ladder, no budget, nothing done for pods or the registry. A check that errors counts as unhealthy;
// an uptime it cannot read means no repair (as health-checker does).
import type { Command, Observations } from "../../src/core/types.js";
import { runDecide } from "./decide-loop.js";
import type { Contender, Decide } from "./contender.js";

/** health-checker's --cooldown-time default. */
export const COOLDOWN_MS = 2 * 60_000;

/** The kubelet endpoint and the CRI both answer. */
export function componentHealthy(obs: Observations): boolean {
  return obs.api.status === "ok" && obs.containerdSocket.status === "ok";
}

/** Stateless, as health-checker is: everything it needs is read from systemd each time. */
export const cooldownDecide: Decide<null> = (state, input, now) => {
  const obs = input.observations;
  const commands: Command[] = [];
  const startedAt = obs.k3sUnit.detail?.inactiveExitAt ?? null;
  if (!componentHealthy(obs) && startedAt !== null && now - startedAt > COOLDOWN_MS) {
    commands.push({ kind: "restart-k3s", resetFailed: false, why: `health-checker: unhealthy, uptime ${Math.round((now - startedAt) / 1000)} s > cooldown` });
  }
  return { state, commands };
};

/** The contender. */
export const cooldownRepair: Contender = {
  name: "cooldown-repair",
  summary: "node-problem-detector health-checker style: every 10 s, restart k3s if API/CRI unhealthy and up > 2 min cooldown",
  tickMs: 10_000,
  eventDriven: false,
  start: (ctx) => runDecide(ctx, cooldownDecide, null, (obs) => !componentHealthy(obs)),
};
