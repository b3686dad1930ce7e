// Routing: a channel takes the kinds and severities it names, or every event when it names none.
import type { EventKind, NotificationEvent, Severity } from "./event.js";

/** A channel's routing keys as configured. */
export interface Route {
  events?: readonly EventKind[];
  severities?: readonly Severity[];
}

/** Whether a channel with `route` takes `event`; a test event goes everywhere. */
export function routeAccepts(route: Route, event: NotificationEvent): boolean {
  if (event.kind === "test") return true;
  if (route.events !== undefined && !route.events.includes(event.kind)) return false;
  if (route.severities !== undefined && !route.severities.includes(event.severity)) return false;
  return true;
}
