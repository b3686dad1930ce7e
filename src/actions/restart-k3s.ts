// Remedy: restart k3s through systemd's D-Bus API (docs/design.md §3, first rung of "k3s.service not
// active"). The job's JobRemoved result is the verdict: only "done" counts as restarted.
import type { RemedyCommand } from "../core/types.js";
import type { Action, ActionReport, Systemd } from "../ports.js";

type RestartK3sCommand = Extract<RemedyCommand, { kind: "restart-k3s" }>;

export interface RestartK3sDeps {
  systemd: Systemd;
  unit: string;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `systemctl reset-failed` (when asked) then `systemctl restart`, mode replace; never throws. */
export function createRestartK3s(deps: RestartK3sDeps): Action<RestartK3sCommand> {
  const { systemd, unit } = deps;
  return {
    kind: "restart-k3s",
    async run(command, signal): Promise<ActionReport> {
      const touched = [unit];
      const notes: string[] = [];
      if (command.resetFailed) {
        // After start-limit-hit systemd refuses to start the unit until its failure is reset.
        try {
          await systemd.resetFailedUnit(unit, signal);
          notes.push("reset-failed first");
        } catch (error) {
          notes.push(`reset-failed did not work (${message(error)}), restarting anyway`);
        }
      }
      const prefix = notes.length > 0 ? `${notes.join("; ")}; ` : "";
      try {
        const result = await systemd.restartUnit(unit, signal);
        if (result === "done") return { ok: true, detail: `${prefix}restarted ${unit} (job done)`, touched };
        return { ok: false, detail: `${prefix}restart of ${unit} ended with job result "${result}"`, touched };
      } catch (error) {
        return { ok: false, detail: `${prefix}could not restart ${unit}: ${message(error)}`, touched };
      }
    },
  };
}
