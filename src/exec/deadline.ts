// A signal that aborts after `ms` or when another signal does. It replaces
// `AbortSignal.any([AbortSignal.timeout(ms), other])`: on Node 20 the combined signal holds its
// sources only weakly, and a timeout signal nobody listens to is itself held weakly by its timer,
// so a garbage collection can drop the timeout and the deadline never fires. Here the timer's
// callback holds the controller, so the deadline fires whatever the collector does.
// A plain `AbortSignal.timeout(ms)` handed straight to its consumer is safe: the consumer holds it.

/** A deadline: `signal` aborts at `ms` (reason a TimeoutError) or when `other` aborts (its reason). */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Clear the timer and stop listening to `other`; the signal stays as it is. Safe to call twice. */
  dispose(): void;
}

/** Start a deadline of `ms`, tied to `other` when given. The timer never keeps the process alive. */
export function deadline(ms: number, other?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onOther = () => finish(other!.reason);
  const finish = (reason?: unknown) => {
    dispose();
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    other?.removeEventListener("abort", onOther);
  };
  if (other?.aborted) {
    controller.abort(other.reason);
  } else {
    timer = setTimeout(() => finish(new DOMException(`no result within ${ms} ms`, "TimeoutError")), ms);
    timer.unref();
    other?.addEventListener("abort", onOther, { once: true });
  }
  return { signal: controller.signal, dispose };
}
