// How the loop says what it does: the first words of a journald line and systemd's STATUS=.
import type { CoreState, Observations, RemedyCommand } from "../core/types.js";
import { nodeVerdict, verdictLine } from "../core/verdict.js";
import type { LastAction } from "./loop.js";

/** "restarting k3s through systemd" (doing), or "restart k3s through systemd" (after "would"). */
export function describeRemedy(command: RemedyCommand, mood: "doing" | "would" = "doing"): string {
  const verb = (doing: string, would: string) => (mood === "doing" ? doing : would);
  switch (command.kind) {
    case "restart-k3s":
      return command.resetFailed
        ? verb("resetting k3s's failed state and restarting it through systemd", "reset k3s's failed state and restart it through systemd")
        : verb("restarting k3s through systemd", "restart k3s through systemd");
    case "killall-k3s":
      return verb("stopping k3s, running k3s-killall.sh, starting k3s", "stop k3s, run k3s-killall.sh, start k3s");
    case "restart-registry":
      return verb("restarting the local registry container", "restart the local registry container");
    case "delete-pods": {
      const forced = command.pods.filter((p) => p.force).length;
      const names = command.pods.map((p) => p.name).join(", ");
      return `${verb("deleting", "delete")} ${command.pods.length} pod(s)${forced > 0 ? ` (${forced} forced, grace period 0)` : ""}: ${names}`;
    }
  }
}

/** Why the phase is what it is, from the state and the readings that made it. */
export function phaseReason(state: CoreState, obs: Observations): string {
  switch (state.phase) {
    case "paused":
      return `paused until ${new Date(state.pause?.until ?? 0).toISOString()}: ${state.pause?.reason ?? ""}`;
    case "gave-up":
      return state.gaveUp?.why ?? "gave up";
    case "recovering":
      return state.ladder === null ? "recovering" : `climbing the ladder for ${state.ladder.symptom} (rung ${state.ladder.rung + 1})`;
    case "healthy": {
      // The node's verdict in its own words: "every probe ok", or what is wrong beside the node.
      const verdict = nodeVerdict(obs);
      return verdict.verdict === "healthy" ? verdict.cause : verdictLine(verdict);
    }
    case "waiting-for-k3s":
      return obs.k3sUnit.reason;
    case "waiting-for-containerd":
      return obs.containerdSocket.reason;
    case "waiting-for-api":
      return obs.api.reason;
    case "waiting-for-nodes":
      return obs.nodes.reason;
    case "pods-converging":
      return obs.pods.reason;
  }
}

/** systemd's STATUS= line: the phase, then the last action and when (no ticking counter: it is sent on change). */
export function statusLine(state: CoreState, last: LastAction | null): string {
  if (last === null) return state.phase;
  const how = last.dryRun ? "planned (dry-run)" : last.ok ? "succeeded" : "failed";
  return `${state.phase}; last action: ${last.kind} ${how} at ${new Date(last.at).toISOString()}`;
}
