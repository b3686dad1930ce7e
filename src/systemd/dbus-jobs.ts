// Matches systemd's JobRemoved signals to the jobs the watchdog queued. JobRemoved can arrive
// before the RestartUnit reply resumes our code (dbus-next dispatches the signal first when both
// are in the same read), so every finished job is remembered, and a wait checks there first.

/** How many finished jobs to remember: plenty for a watchdog that queues one job at a time. */
const REMEMBERED = 256;

/** The JobRemoved bookkeeping of one bus connection. */
export interface JobTracker {
  /** Feed it every JobRemoved(u id, o job, s unit, s result). */
  removed(job: string, result: string): void;
  /** The job's result ("done", "failed", "canceled", …); rejects on abort or when the bus is lost. */
  wait(job: string, signal: AbortSignal, timeoutMs: number): Promise<string>;
  /** The connection is gone: nobody will ever see these jobs end. */
  failAll(why: string): void;
}

/** A tracker with no jobs yet; one per connection, since job paths are per systemd instance. */
export function createJobTracker(): JobTracker {
  const finished = new Map<string, string>();
  const waiters = new Map<string, { resolve: (result: string) => void; reject: (error: Error) => void }>();

  return {
    removed(job, result) {
      const waiter = waiters.get(job);
      if (waiter) {
        waiters.delete(job);
        waiter.resolve(result);
        return;
      }
      finished.set(job, result);
      if (finished.size > REMEMBERED) {
        const oldest = finished.keys().next().value;
        if (oldest !== undefined) finished.delete(oldest);
      }
    },
    wait(job, signal, timeoutMs) {
      const known = finished.get(job);
      if (known !== undefined) {
        finished.delete(job);
        return Promise.resolve(known);
      }
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => stop(new Error(`job ${job} did not finish within ${timeoutMs} ms`)), timeoutMs);
        const onAbort = (): void => stop(new Error(`waiting for job ${job} was aborted`));
        function stop(error: Error | null, result?: string): void {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          waiters.delete(job);
          if (error) reject(error);
          else resolve(result as string);
        }
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        waiters.set(job, { resolve: (result) => stop(null, result), reject: (error) => stop(error) });
      });
    },
    failAll(why) {
      for (const [job, waiter] of [...waiters]) waiter.reject(new Error(`lost track of job ${job}: ${why}`));
      waiters.clear();
      finished.clear();
    },
  };
}
