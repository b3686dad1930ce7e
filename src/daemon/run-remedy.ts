// Running one remedy: its timeout (the action's signal is aborted, which kills a command's whole
// process group), and a last-resort race so an action that ignores its signal cannot hold the loop.
import type { RemedyCommand } from "../core/types.js";
import { formatDuration } from "../config/duration.js";
import type { Action, ActionReport } from "../ports.js";

// After the signal fires, an action gets this long to wind down before the loop stops waiting.
const GRACE_MS = 5_000;

/** Run `command` with `action`; never rejects. */
export async function runRemedy(action: Action, command: RemedyCommand, timeoutMs: number, stop?: AbortSignal): Promise<ActionReport> {
  const controller = new AbortController();
  const onStop = () => controller.abort(new Error("daemon stopping"));
  stop?.addEventListener("abort", onStop, { once: true });
  const timers: NodeJS.Timeout[] = [];
  const abandoned = new Promise<ActionReport>((resolve) => {
    timers.push(setTimeout(() => controller.abort(new Error(`timed out after ${formatDuration(timeoutMs)}`)), timeoutMs));
    timers.push(setTimeout(() => resolve({ ok: false, detail: `${command.kind} did not finish within ${formatDuration(timeoutMs + GRACE_MS)}; the loop stopped waiting for it`, touched: [] }), timeoutMs + GRACE_MS));
  });
  try {
    const ran = action.run(command, controller.signal).catch((error: unknown) => ({ ok: false, detail: `${command.kind} failed: ${(error as Error)?.message ?? String(error)}`, touched: [] }));
    return await Promise.race([ran, abandoned]);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    stop?.removeEventListener("abort", onStop);
  }
}
