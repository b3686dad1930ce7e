// A killed daemon writes nothing more. The virtual clock cannot stop a JavaScript promise, so a
// daemon killed with an action in flight (a reboot, `systemctl restart` in the soak, an OOM kill)
// is handed a fenced view of the shared journal: once fenced, its writes go nowhere, as a dead
// process's would, and the next daemon finds the action started and unfinished.
import type { Journal } from "../../journal/types.js";

/** A journal view that can be cut off. */
export interface FencedJournal {
  journal: Journal;
  /** From now on every call of this view does nothing and returns undefined. */
  fence(): void;
}

/** Wrap `journal` for one daemon's lifetime. */
export function fencedJournal(journal: Journal): FencedJournal {
  let fenced = false;
  const view = new Proxy(journal, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => (fenced ? undefined : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  return { journal: view, fence: () => void (fenced = true) };
}
