// The status source as the sockets serve it, for the days the journal cannot be written (a full or
// read-only disk): the snapshot carries the loop's trouble, and pause, resume and check-now still
// take effect in memory instead of answering 500. What could not be recorded is said in the answer
// and the log; the pause then lasts until it expires or the daemon restarts.
import type { Clock, Logger } from "../ports.js";
import type { DaemonTrouble, StatusSource } from "../status/source.js";
import type { Loop } from "./loop.js";

export interface JournalFailureDeps {
  loop: Loop;
  logger: Logger;
  clock: Clock;
  wake(why: string): void;
  trouble(): DaemonTrouble | null;
}

/** Wrap `inner` so control requests survive a journal that refuses writes. */
export function sourceWhenJournalFails(inner: StatusSource, deps: JournalFailureDeps): StatusSource {
  const unrecorded = (what: string, error: unknown) => {
    const text = `${what} applied in memory only: the journal could not record it (${(error as Error)?.message ?? String(error)})`;
    deps.logger.error(text);
    return text;
  };
  return {
    ...inner,
    snapshot: (now) => ({ ...inner.snapshot(now), trouble: deps.trouble() }),
    pause(durationMs, reason, by) {
      try {
        return inner.pause(durationMs, reason, by);
      } catch (error) {
        const warning = `${unrecorded("pause", error)}; it will not survive a daemon restart`;
        const at = deps.clock.now();
        deps.loop.request({ kind: "pause", until: at + durationMs, reason });
        deps.wake(`pause by ${by}`);
        return { until: at + durationMs, reason, at, by, warning };
      }
    },
    resume(reason, by) {
      try {
        inner.resume(reason, by);
      } catch (error) {
        unrecorded("resume", error);
        deps.loop.request({ kind: "resume", reason: `${reason} (by ${by})` });
        deps.wake(`resume by ${by}`);
      }
    },
    checkNow(reason, by) {
      try {
        inner.checkNow(reason, by);
      } catch (error) {
        unrecorded("check-now", error);
        deps.wake(`check-now by ${by}`);
      }
    },
  };
}
