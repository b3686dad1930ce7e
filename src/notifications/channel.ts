// The port every channel implements: deliver one event, never throw, say how it went.
import type { NotificationEvent } from "./event.js";

/** How one delivery attempt went; `detail` never contains a secret. */
export interface DeliveryOutcome {
  ok: boolean;
  detail: string;
  /** The receiver asked to wait this long before the next attempt (Retry-After). */
  retryAfterMs: number | null;
}

/** A configured channel: a webhook, an ntfy topic or a command. */
export interface Channel {
  name: string;
  type: "webhook" | "ntfy" | "command";
  /** Which events it takes (routing by kind and severity). */
  accepts(event: NotificationEvent): boolean;
  deliver(event: NotificationEvent, signal?: AbortSignal): Promise<DeliveryOutcome>;
}
