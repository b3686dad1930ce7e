// A maintenance crit finding becomes a "maintenance-crit" notification, once per finding (the runner
// says each finding once): the same event a core announcement keyed maintenance:… at err becomes.
import { hostname } from "node:os";
import { eventId, KIND_SEVERITY, type NotificationEvent } from "../notifications/event.js";
import type { FindingEvent } from "./runner.js";

/** The notification for a finding, or null when it is not crit. */
export function findingNotification(event: FindingEvent, node = hostname()): NotificationEvent | null {
  if (event.finding.level !== "crit") return null;
  const episode = `maintenance:${event.check}:${event.finding.key}`;
  return {
    id: eventId("maintenance-crit", episode), kind: "maintenance-crit", severity: KIND_SEVERITY["maintenance-crit"],
    title: `maintenance finding: crit (${event.check})`,
    message: `${event.finding.text}; next: ${event.finding.next}`,
    at: event.at, node, episode, notice: 1,
  };
}
