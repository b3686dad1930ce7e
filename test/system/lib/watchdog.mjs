// The watchdog as its users see it inside the container: systemd's view of the unit and the CLI
// over the status socket (`songnodes-watchdog status|history|boots --json`).
import { waitFor } from "./exec.mjs";
import { showUnit } from "./systemd.mjs";

export const UNIT = "songnodes-watchdog.service";
export const UNIT_PROPS = ["ActiveState", "SubState", "Result", "StatusText", "MainPID", "NRestarts", "ExecMainStatus", "InvocationID"];

/** `songnodes-watchdog <command> --json` inside the container (as root unless `user`). */
export async function cli(machine, args, { user } = {}) {
  const result = await machine.exec(["songnodes-watchdog", ...args], { timeoutMs: 15_000, user });
  let json = null;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    /* not JSON: a refusal or a human message */
  }
  return { ...result, json };
}

/** The status socket's view; throws when the CLI fails. */
export async function status(machine) {
  const result = await cli(machine, ["status", "--json"]);
  if (result.code !== 0 || result.json === null) throw new Error(`songnodes-watchdog status failed (exit ${result.code}): ${result.stderr}${result.stdout}`);
  return result.json;
}

/** History entries, newest first. */
export async function history(machine, limit = 500) {
  const result = await cli(machine, ["history", "--json", "--limit", String(limit)]);
  if (result.code !== 0 || result.json === null) throw new Error(`songnodes-watchdog history failed (exit ${result.code}): ${result.stderr}`);
  return Array.isArray(result.json) ? result.json : result.json.entries ?? [];
}

/** Wait until the unit is active and systemd's StatusText and the status socket both say `phase`. */
export async function waitForPhase(machine, phase, timeoutMs = 60_000) {
  return waitFor(`the watchdog to report ${phase} (StatusText and status socket)`, async () => {
    const unit = await showUnit(machine, UNIT, UNIT_PROPS);
    if (unit.ActiveState !== "active" || !unit.StatusText.includes(phase)) return null;
    const view = await status(machine);
    return view.phase === phase ? { unit, view } : null;
  }, { timeoutMs, intervalMs: 500 });
}

/** Entries in the unit's journal (the daemon's and systemd's lines about it) since `sinceUsec`. */
export function journalArgs(sinceMs) {
  return ["-u", UNIT, ...(sinceMs ? ["--since", `@${(sinceMs / 1000).toFixed(3)}`] : [])];
}
