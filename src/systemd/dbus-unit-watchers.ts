// Listeners for PropertiesChanged on unit objects, kept across connections. When the bus goes
// away the listeners are woken (so the probe looks, and reports unknown at once instead of at the
// next tick), then the connection is retried with backoff and the listeners are woken again.
import type { Logger } from "../ports.js";

export interface UnitWatchersDeps {
  logger: Logger;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  /** Makes sure a connection exists (match rules for paths() and Subscribe included). */
  connect(): Promise<void>;
  /** Adds the PropertiesChanged match rule for one unit path on the live connection. */
  addMatch(unitPath: string): Promise<void>;
}

/** The unit watchers of one Systemd client. */
export interface UnitWatchers {
  add(unitPath: string, listener: () => void): () => void;
  paths(): string[];
  changed(unitPath: string): void;
  lost(why: string): void;
  close(): void;
}

/** No watchers yet; a connection is attempted as soon as the first one is added. */
export function createUnitWatchers(deps: UnitWatchersDeps): UnitWatchers {
  const listeners = new Map<string, Set<() => void>>();
  let delay = deps.reconnectDelayMs;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  function wakeAll(): void {
    for (const set of listeners.values()) for (const listener of [...set]) listener();
  }

  function retryLater(): void {
    if (timer !== null || closed || listeners.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      deps.connect().then(
        () => {
          delay = deps.reconnectDelayMs;
          deps.logger.info("watching systemd units again after reconnecting");
          wakeAll();
        },
        (error: unknown) => {
          delay = Math.min(delay * 2, deps.maxReconnectDelayMs);
          deps.logger.debug(`systemd still unreachable, next try in ${delay} ms`, { error: String(error) });
          retryLater();
        },
      );
    }, delay);
    // A retry must not keep a finished CLI command (or a test) alive.
    timer.unref();
  }

  return {
    add(unitPath, listener) {
      const set = listeners.get(unitPath) ?? new Set();
      listeners.set(unitPath, set);
      set.add(listener);
      deps
        .connect()
        .then(() => deps.addMatch(unitPath))
        .catch(() => retryLater());
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(unitPath) === set) listeners.delete(unitPath);
      };
    },
    paths: () => [...listeners.keys()],
    changed(unitPath) {
      for (const listener of [...(listeners.get(unitPath) ?? [])]) listener();
    },
    lost() {
      if (closed) return;
      wakeAll();
      retryLater();
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}
