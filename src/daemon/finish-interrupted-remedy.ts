// A daemon killed between stopping k3s and starting it again (in the middle of killall-k3s) must not
// leave the node down: the next daemon would find the budget spent and give up for the whole
// cooldown. At start-up, before anything else acts, the newest k3s remedy is looked at: when it was
// left started or interrupted, and k3s is inactive with no start attempt since that remedy began,
// the daemon's own stop is what keeps it down, so k3s is started again. That start completes an
// action already counted, so it is not a new remedy and uses no budget; the journal says so.
import type { Journal } from "../journal/types.js";
import type { Logger, Systemd } from "../ports.js";

const NOTE_KEY = "finished-interrupted:";
const K3S_REMEDIES = new Set(["restart-k3s", "killall-k3s"]);

export interface FinishInterruptedDeps {
  journal: Journal;
  systemd: Systemd;
  unit: string;
  logger: Logger;
  now: number;
  /** systemd's start job; default 30 s (systemd carries it on after that; start-up must not wait long). */
  startTimeoutMs?: number;
}

/** What start-up did about an unfinished k3s remedy (for tests and the log). */
export type FinishOutcome = "nothing-unfinished" | "already-handled" | "unit-not-stopped-by-us" | "started" | "start-failed" | "unit-unreadable";

/** Complete an interrupted k3s remedy if it left the unit stopped. Never throws. */
export async function finishInterruptedRemedy(deps: FinishInterruptedDeps): Promise<FinishOutcome> {
  const { journal, systemd, unit, logger, now } = deps;
  const actions = journal.history({ kind: "action", limit: 50 }).filter((entry) => K3S_REMEDIES.has(String(entry.detail.kind)));
  const newest = actions[0];
  const outcome = String(newest?.detail.outcome ?? "");
  const startedAt = newest?.detail.startedAt;
  if (!newest || newest.detail.dryRun === true || typeof startedAt !== "number" || (outcome !== "started" && outcome !== "interrupted")) return "nothing-unfinished";
  const id = newest.id;
  const key = `${NOTE_KEY}${id}`;
  if (journal.history({ kind: "note", since: startedAt, limit: 1000 }).some((note) => note.detail.key === key)) return "already-handled";

  const what = `${String(newest.detail.kind)} #${id} (started ${new Date(startedAt).toISOString()})`;
  let props;
  try {
    props = await systemd.unitProperties(unit, AbortSignal.timeout(5_000));
  } catch (error) {
    logger.warn(`cannot tell whether the unfinished ${what} left ${unit} stopped: ${(error as Error).message}; the loop will judge ${unit} as usual`);
    return "unit-unreadable";
  }
  const down = props.activeState === "inactive" || props.activeState === "failed";
  const noStartSince = props.inactiveExitAt === null || props.inactiveExitAt <= startedAt;
  if (!down || !noStartSince) {
    journal.recordNote("info", key, `the daemon stopped during ${what}; ${unit} is ${props.activeState} (${props.subState}), nothing to finish`, now);
    return "unit-not-stopped-by-us";
  }
  logger.warn(`the daemon stopped during ${what} and left ${unit} ${props.activeState}: starting it again (completing that action, outside the budget)`);
  let result: string;
  try {
    if (props.activeState === "failed") await systemd.resetFailedUnit(unit, AbortSignal.timeout(5_000));
    result = await systemd.startUnit(unit, AbortSignal.timeout(deps.startTimeoutMs ?? 30_000));
  } catch (error) {
    result = `error: ${(error as Error).message}`;
  }
  const ok = result === "done";
  const message = `the daemon stopped during ${what} and left ${unit} ${props.activeState}; started it again at start-up: ${result}. This completes that action and is not counted against any budget (the action already was)`;
  journal.recordNote(ok ? "warning" : "err", key, message, now);
  if (ok) logger.warn(message);
  else logger.error(message);
  return ok ? "started" : "start-failed";
}
