// Runbook "If K3s Fails to Start", step 3, the force restart:
//   systemctl stop k3s; /usr/local/bin/k3s-killall.sh; systemctl start k3s
// Each step runs whatever happened before it: a stop that fails is exactly when killall is needed,
// and a killall that fails or hangs must still be followed by a start, never leaving k3s stopped.
// The script runs as root, so it is checked before k3s is stopped: an unsafe one stops nothing.
import { performance } from "node:perf_hooks";
import { deadline } from "../exec/deadline.js";
import { untrustedProgramReason } from "../exec/trusted-program.js";
import type { Action, RunCommand, Systemd } from "../ports.js";

// After the action's deadline, the start job gets this long to report before the action returns
// with what it knows (the loop waits 5 s at most); systemd carries the queued job on regardless.
const START_REPORT_GRACE_MS = 1_500;

export interface KillallK3sOptions {
  systemd: Systemd;
  unit: string;
  /** /usr/local/bin/k3s-killall.sh */
  killall: string;
  runCommand: RunCommand;
  /** The killall script's timeout; its whole process group is killed when it runs out. */
  timeoutMs: number;
  /** systemd's stop job; default 90 s (k3s's own TimeoutStopSec). */
  stopTimeoutMs?: number;
  /** systemd's start job, on its own clock so that k3s is started even after the action's deadline; default 2 min. */
  startTimeoutMs?: number;
  /** Why the script must not run as root, or null; default untrustedProgramReason (tests inject). */
  untrusted?: (path: string) => string | null;
}

/** The killall-k3s remedy: stop, killall, start, each step reported. */
export function createKillallK3s(options: KillallK3sOptions): Action<{ kind: "killall-k3s"; why: string }> {
  const { systemd, unit, killall } = options;
  const touched = [unit, killall];
  return {
    kind: "killall-k3s",
    async run(_command, signal) {
      const refused = (options.untrusted ?? untrustedProgramReason)(killall);
      if (refused !== null) {
        return { ok: false, detail: `refused to run ${killall} as root, so ${unit} was not stopped: ${refused}`, touched: [] };
      }
      const steps: string[] = [];
      const stopLimit = deadline(options.stopTimeoutMs ?? 90_000, signal);
      const stop = await systemdJob(() => systemd.stopUnit(unit, stopLimit.signal)).finally(stopLimit.dispose);
      steps.push(`stop ${unit}: ${stop.text}`);

      const started = performance.now();
      const result = await options.runCommand([killall], { timeoutMs: options.timeoutMs, signal });
      const seconds = ((performance.now() - started) / 1_000).toFixed(1);
      const killallOk = result.spawnError === null && !result.timedOut && result.exitCode === 0;
      const said = result.stderr.trim().split("\n").slice(-1)[0]?.slice(0, 200) ?? "";
      const killallText =
        result.spawnError !== null ? `could not run: ${result.spawnError}` :
        result.timedOut ? `timed out after ${seconds} s, its process group killed` :
        result.exitCode === 0 ? `exit 0 in ${seconds} s` :
        `failed (${result.exitCode !== null ? `exit ${result.exitCode}` : result.signal}) in ${seconds} s${said ? `: ${said}` : ""}`;
      steps.push(`${killall}: ${killallText}`);

      // Deliberately not tied to `signal`: whatever happened, k3s must not be left stopped. Past the
      // deadline, report the steps so far rather than let the loop record a bare "did not finish".
      const starting = systemdJob(() => systemd.startUnit(unit, AbortSignal.timeout(options.startTimeoutMs ?? 120_000)));
      const start = await untilReported(starting, signal);
      steps.push(`start ${unit}: ${start.text}`);

      return { ok: killallOk && start.ok, detail: steps.join("; "), touched };
    },
  };
}

/** The job's outcome, or, once `signal` has fired and a short grace has passed, a "not known yet". */
async function untilReported(job: Promise<{ ok: boolean; text: string }>, signal: AbortSignal): Promise<{ ok: boolean; text: string }> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<{ ok: boolean; text: string }>((resolve) => {
    const arm = () => (timer = setTimeout(() => resolve({ ok: false, text: "requested; no result before the deadline (systemd carries the job on)" }), START_REPORT_GRACE_MS));
    if (signal.aborted) arm();
    else signal.addEventListener("abort", (onAbort = arm), { once: true });
  });
  try {
    return await Promise.race([job, late]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/** Run one systemd job; "done" is success, any other JobRemoved result or a throw is a failure. */
async function systemdJob(job: () => Promise<string>): Promise<{ ok: boolean; text: string }> {
  try {
    const result = await job();
    return { ok: result === "done", text: result };
  } catch (error) {
    return { ok: false, text: `error: ${error instanceof Error ? error.message : String(error)}` };
  }
}
