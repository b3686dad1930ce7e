// One connection to a D-Bus daemon with the safety dbus-next 0.10.2 lacks: a connect timeout, a
// timeout on every call, an 'error' listener from the first moment (systemBus() reports a missing
// bus as an 'error' event, which crashes a process that has no listener), and a "lost" callback
// when the daemon goes away (dbus-next never rejects calls in flight then: they would hang forever).
import { EventEmitter } from "node:events";
import * as dbus from "dbus-next";
import type { Message as DbusMessage, MessageBus } from "dbus-next";

const { Message, MessageType, sessionBus, systemBus } = dbus;

/** A call to make: destination, path, interface, member and body, as a D-Bus method call. */
export interface BusCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}

/** A live connection; once `lost` fires it is dead for good and a new one must be opened. */
export interface BusSession {
  readonly alive: boolean;
  /** Calls a method; rejects on a D-Bus error reply, on timeout, on abort, or when the bus is lost. */
  call(call: BusCall, signal: AbortSignal): Promise<DbusMessage>;
  /** Every signal message that arrives (match rules decide which ones the daemon routes to us). */
  onSignal(handler: (message: DbusMessage) => void): void;
  onLost(handler: (why: string) => void): void;
  close(): void;
}

/** Where the bus is, for error messages: "the system bus" or the address given. */
export function describeBus(address: string | null): string {
  return address === null ? "the system bus" : `the bus at ${address}`;
}

/** The readable text of anything thrown (DBusError carries its name in `type`). */
export function errorText(error: unknown): string {
  if (error instanceof dbus.DBusError) return `${error.type}: ${error.text}`;
  return error instanceof Error ? error.message : String(error);
}

/** Rejects when `signal` aborts or `ms` pass, whichever is first; `what` names the wait. */
export function raceTimeout<T>(work: Promise<T>, signal: AbortSignal, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => finish(() => reject(new Error(`${what} was aborted`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`${what} timed out after ${ms} ms`))), ms);
    function finish(settle: () => void): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      settle();
    }
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** The dbus-next 0.10.2 internals this file leans on (pinned version; see docs/systemd.md). */
interface BusInternals {
  _connection: EventEmitter & { stream?: { writable?: boolean } };
  _methodReturnHandlers: Record<number, unknown>;
}

/**
 * Closes a dbus-next connection for good. dbus-next only half-closes (stream.end()) and keeps
 * handling what still arrives: a method call then gets an error reply written to the closed
 * stream, which throws out of an event handler and kills the process. So stop reading first.
 */
export function shutBus(bus: MessageBus): void {
  const internals = bus as unknown as BusInternals;
  internals._connection.removeAllListeners("message");
  try {
    bus.disconnect();
  } catch {
    // The stream is already gone; nothing left to close.
  }
}

/** Whether a message can still be sent: dbus-next throws from send() on a closed stream. */
export function canSend(bus: MessageBus): boolean {
  return (bus as unknown as BusInternals)._connection.stream?.writable === true;
}

/** Connects to `address` (null: the system bus) and waits for the Hello reply, within `timeoutMs`. */
export async function openBusSession(address: string | null, timeoutMs: number, signal: AbortSignal): Promise<BusSession> {
  const where = describeBus(address);
  const lostHandlers: ((why: string) => void)[] = [];
  const signalHandlers: ((message: DbusMessage) => void)[] = [];
  const pending = new Set<(error: Error) => void>();
  let alive = false;
  let lostWhy: string | null = null;
  const early = new EventEmitter();

  let bus: MessageBus;
  try {
    bus = address === null ? systemBus() : sessionBus({ busAddress: address });
  } catch (error) {
    throw new Error(`cannot reach systemd on ${where}: ${errorText(error)}`);
  }
  const internals = bus as unknown as BusInternals;

  function lose(why: string): void {
    if (lostWhy !== null) return;
    lostWhy = why;
    alive = false;
    early.emit("lost", why);
    for (const reject of pending) reject(new Error(`lost ${where}: ${why}`));
    pending.clear();
    for (const handler of lostHandlers) handler(why);
    shutBus(bus);
  }
  // Registered before anything can fail: an 'error' event without a listener kills the process.
  bus.on("error", (error: unknown) => lose(errorText(error)));
  internals._connection.on("end", () => lose("the bus closed the connection"));
  bus.on("message", (message: DbusMessage) => {
    if (message.type !== MessageType.SIGNAL) return;
    for (const handler of signalHandlers) handler(message);
  });

  const connected = new Promise<void>((resolve, reject) => {
    bus.once("connect", () => resolve());
    early.once("lost", (why: string) => reject(new Error(why)));
  });
  try {
    await raceTimeout(connected, signal, timeoutMs, `connecting to ${where}`);
  } catch (error) {
    lose(errorText(error));
    throw new Error(`cannot reach systemd on ${where}: ${errorText(error)}`);
  }
  alive = true;

  return {
    get alive() {
      return alive;
    },
    call(call, callSignal) {
      if (!alive) return Promise.reject(new Error(`lost ${where}: ${lostWhy ?? "not connected"}`));
      const message = new Message({ type: MessageType.METHOD_CALL, ...call });
      let rejectLost: (error: Error) => void = () => undefined;
      const lost = new Promise<never>((_, reject) => {
        rejectLost = reject;
        pending.add(reject);
      });
      const work = Promise.race([bus.call(message), lost]);
      const what = `${call.member} on ${where}`;
      return raceTimeout(work, callSignal, timeoutMs, what).finally(() => {
        pending.delete(rejectLost);
        // A reply that never comes would keep its handler forever: drop it (no-op once answered).
        if (message.serial !== null) delete internals._methodReturnHandlers[message.serial];
      }) as Promise<DbusMessage>;
    },
    onSignal(handler) {
      signalHandlers.push(handler);
    },
    onLost(handler) {
      lostHandlers.push(handler);
    },
    close() {
      lose("closed by the watchdog");
    },
  };
}
